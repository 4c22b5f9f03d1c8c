"""Forms: typed input and per-field messages; the services decide and write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..core.words import pick
from ..registry.models import Household
from ..standards.contract import BOOL, COLUMN_LABELS_EN, DECIMAL, FORM_B_HOUSEHOLD_FACTS, INT
from ..standards.formats import decimal_vi, number_vi, parse_date_vi, parse_decimal_vi, parse_dong_vi

# The address, then the facts Form B asks of a household, with the contract's labels and plausibility
# bounds: a value the import refuses is refused here too, and none overflows the database's integers
# (a typing error once answered 500 on PostgreSQL instead of a message on the field)
HOUSEHOLD_EDIT_FIELDS = ["address", *(c.name for c in FORM_B_HOUSEHOLD_FACTS)]
NUMBER_BOUNDS = {
    c.name: (c.minimum, c.maximum) for c in FORM_B_HOUSEHOLD_FACTS if c.kind in (INT, DECIMAL) and c.maximum is not None
}


def _number(value) -> str:
    """1.000.000.000 as Vietnamese writes it."""
    return f"{value:,}".replace(",", ".")


class VietnameseDateField(forms.DateField):
    """dd/mm/yyyy first: Django's own `vi` parsing would read 05/03/2024 as 3 May."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date_vi(str(value))
        except ValueError as exc:
            raise forms.ValidationError(_("Ngày không hợp lệ, viết dd/mm/yyyy")) from exc


class DongInput(forms.TextInput):
    """An amount of money as Vietnamese writes it: 1.500.000, then "đ" (a number box showed 1500000)."""

    template_name = "web/widgets/dong.html"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int):
            return number_vi(value)
        return super().format_value(value)


class DongField(forms.IntegerField):
    """Đồng typed with or without the thousands' dots (1.500.000, 1500000, "1.500.000 đ")."""

    widget = DongInput

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            try:
                value = parse_dong_vi(value)
            except ValueError as exc:
                raise forms.ValidationError(
                    _("Số tiền là số nguyên đồng, viết như 1.500.000 (không có phần lẻ sau dấu chấm hay dấu phẩy)"),
                    code="invalid",
                ) from exc
        return super().to_python(value)

    def widget_attrs(self, widget):
        return {}  # no min/max/step: they belong to number boxes; the validators check the bounds


MONEY = ("income_per_capita_month",)  # the facts counted in đồng


class DecimalInput(forms.TextInput):
    """A decimal as Vietnamese writes it (46,6): a number box would show 46.60 and refuse the comma."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
            return decimal_vi(value)
        return super().format_value(value)


class VietnameseDecimalField(forms.DecimalField):
    """46,6 or 46.6 typed, both 46.6: Django's localized field would read 46.6 as 466 (the dot taken for
    thousands); our own parsing reads a dot before one or two digits as the decimal point."""

    widget = DecimalInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_decimal_vi(str(value))
        except ValueError as exc:
            raise forms.ValidationError(_("Số không hợp lệ, viết như 46,6"), code="invalid") from exc

    def widget_attrs(self, widget):
        return {}  # no min/max/step: they belong to number boxes; the validators check the bounds


DECIMALS = tuple(c.name for c in FORM_B_HOUSEHOLD_FACTS if c.kind == DECIMAL)  # floor area


class HouseholdFacts(forms.ModelForm):
    """The address and Form B's household facts with the contract's labels and bounds (edit and add)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for col in FORM_B_HOUSEHOLD_FACTS:
            self.fields[col.name].label = pick(col.label_vi, COLUMN_LABELS_EN.get(col.name, ""))
        for name, (low, top) in NUMBER_BOUNDS.items():
            field = self.fields[name]
            field.validators += [
                MinValueValidator(low, _("Không được âm")),
                MaxValueValidator(top, format_lazy(_("Không quá {top}"), top=_number(top))),
            ]
            if name not in MONEY and name not in DECIMALS:
                field.widget.attrs.update(min=str(low), max=str(top))

    class Meta:
        model = Household
        fields = HOUSEHOLD_EDIT_FIELDS
        widgets = {c.name: forms.NullBooleanSelect for c in FORM_B_HOUSEHOLD_FACTS if c.kind == BOOL}
        field_classes = {**dict.fromkeys(MONEY, DongField), **dict.fromkeys(DECIMALS, VietnameseDecimalField)}


class HouseholdForm(HouseholdFacts):
    version = forms.IntegerField(widget=forms.HiddenInput)


MEETING_FORM_MAX = 500  # households on one meeting form: far below Django's 1,000 fields per request


def meeting_form(listed, village_named: bool, max_attendance: int) -> type[forms.Form]:
    """The village meeting's form: who chaired, the Front's representative, attendance, and the number
    who agreed for each listed household (field `agree_<listing id>`, named in Python: never a
    grouped number). Every household's number is required: a missing one is an error, not 0."""
    fields: dict[str, forms.Field] = {
        "held_on": VietnameseDateField(label=_("Ngày họp (dd/mm/yyyy)")),
        "chair": forms.CharField(max_length=120, label=_("Trưởng thôn chủ trì")),
        "front_supervisor": forms.CharField(max_length=120, label=_("Đại diện Mặt trận Tổ quốc")),
        "attendance": forms.IntegerField(min_value=1, max_value=max_attendance, label=_("Số người dự họp")),
    }
    if not village_named:
        fields["village_name"] = forms.CharField(max_length=120, label=_("Thôn"))
    for item in listed:
        fields[f"agree_{item.pk}"] = forms.IntegerField(
            min_value=0,
            max_value=max_attendance,
            label=item.household.household_id,
            error_messages={"required": _("Cần số người đồng ý")},
        )
    return type("MeetingForm", (forms.Form,), fields)


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """The current password is checked like a login: django-axes counts the failures by username and
    address, so a session left open cannot be used to guess it without limit."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if authenticate(self.request, username=self.user.get_username(), password=old_password) is None:
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password
