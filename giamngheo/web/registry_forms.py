"""Forms of the register's pages: a new household, a new member, a member leaving, a split, a merge.

They check what was typed (dates dd/mm/yyyy, bounds, choices); the services decide and write, and a
refusal (`ServiceError`) is put back on the form by `show_service_error`.
"""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from ..core import clock
from ..core.errors import ServiceError
from ..core.words import pick
from ..registry.models import LeaveReason, Member
from ..standards.contract import (
    BOOL,
    COLUMN_LABELS_EN,
    EARLIEST_BIRTH,
    FORM_B_MEMBER_FACTS,
    HOUSEHOLD_BY_NAME,
    MEMBER_BY_NAME,
)
from .forms import HouseholdFacts, VietnameseDateField

# an id is a part of the page's address: letters, digits, dot, hyphen, underscore
id_validator = RegexValidator(
    r"^[A-Za-z0-9._-]+$", _("Mã chỉ gồm chữ không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới")
)
MEMBER_PERSON_FIELDS = ["member_id", "full_name", "sex", "birth_date", "birth_year", "national_id", "relation_to_head"]
MEMBER_ADD_FIELDS = [*MEMBER_PERSON_FIELDS, "ethnicity", *(c.name for c in FORM_B_MEMBER_FACTS)]


def _label(name: str, by_name) -> str:
    return pick(by_name[name].label_vi, COLUMN_LABELS_EN.get(name, ""))


def show_service_error(form: forms.Form, exc: ServiceError) -> None:
    """The service's refusal, on its field when the form has one, else above the form."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.text())


class HouseholdAddForm(HouseholdFacts):
    """A new household of one commune: its id, village, address and the facts Form B asks."""

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household_id"].label = _label("household_id", HOUSEHOLD_BY_NAME)
        self.fields["household_id"].validators.append(id_validator)
        self.fields["village"].queryset = villages
        self.fields["village"].label = _label("village", HOUSEHOLD_BY_NAME)

    class Meta(HouseholdFacts.Meta):
        fields = ["household_id", "village", *HouseholdFacts.Meta.fields]

    def validate_unique(self):
        """The service says whether the id is taken (its words, the same on every path)."""

    def register_fields(self) -> dict:
        """What `household_register` takes: the village also by name, as imports store it."""
        data = dict(self.cleaned_data)
        village = data.get("village")
        data["village_name"] = village.name if village else ""
        return data


class MemberAddForm(forms.ModelForm):
    """A new member: who they are, then the facts Form B asks of each member."""

    birth_date = VietnameseDateField(required=False)

    def __init__(self, *args, has_head: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_head = has_head
        for name, field in self.fields.items():
            field.label = _label(name, MEMBER_BY_NAME)
        self.fields["birth_date"].label = f"{self.fields['birth_date'].label} (dd/mm/yyyy)"
        self.fields["member_id"].validators.append(id_validator)
        self.fields["birth_year"].widget.attrs.update(min=str(EARLIEST_BIRTH.year), max=str(clock.today().year))

    class Meta:
        model = Member
        fields = MEMBER_ADD_FIELDS
        widgets = {c.name: forms.NullBooleanSelect for c in FORM_B_MEMBER_FACTS if c.kind == BOOL}

    def validate_unique(self):
        """The service says whether the member id or national id is taken."""

    def clean_birth_date(self):
        born = self.cleaned_data.get("birth_date")
        if born and not EARLIEST_BIRTH <= born <= clock.today():
            raise forms.ValidationError(_("Ngày sinh phải từ 01/01/1900 đến hôm nay"))
        return born

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year and not EARLIEST_BIRTH.year <= year <= clock.today().year:
            raise forms.ValidationError(_("Năm sinh phải từ 1900 đến năm nay"))
        return year

    def clean_relation_to_head(self):
        relation = self.cleaned_data.get("relation_to_head")
        if relation == "head" and self.has_head:
            raise forms.ValidationError(_("Hộ đã có chủ hộ; chủ hộ đổi khi chủ hộ cũ rời hộ"))
        return relation


class MemberLeaveForm(forms.Form):
    """The day a member left (died or moved away), why, and who heads the household after the head."""

    left_on = VietnameseDateField(label=_("Ngày rời hộ (dd/mm/yyyy)"))
    reason = forms.ChoiceField(label=_("Lý do"), choices=LeaveReason.choices)
    note = forms.CharField(label=_("Ghi chú (nơi chuyển đến, giấy tờ)"), max_length=255, required=False)

    def __init__(self, *args, successors: list[Member], **kwargs):
        super().__init__(*args, **kwargs)
        if successors:  # the head leaves and others stay: a new head is named
            self.fields["new_head"] = forms.ChoiceField(
                label=_("Chủ hộ mới"),
                choices=[
                    ("", "—"),
                    *((m.member_id, f"{m.full_name or m.member_id} ({m.member_id})") for m in successors),
                ],
            )


class HouseholdSplitForm(forms.Form):
    """Members who leave to form a new household, its id and its head."""

    new_household_id = forms.CharField(label=_("Mã hộ mới"), max_length=40, validators=[id_validator])

    def __init__(self, *args, members: list[Member], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(m.member_id, f"{m.full_name or m.member_id} ({m.member_id})") for m in members]
        self.fields["member_ids"] = forms.MultipleChoiceField(
            label=_("Thành viên tách sang hộ mới"), choices=choices, widget=forms.CheckboxSelectMultiple
        )
        self.fields["head_member_id"] = forms.ChoiceField(label=_("Chủ hộ của hộ mới"), choices=choices)

    def clean(self):
        data = super().clean()
        if data.get("head_member_id") and data.get("member_ids") and data["head_member_id"] not in data["member_ids"]:
            self.add_error("head_member_id", _("Chủ hộ mới phải là một trong các thành viên tách đi"))
        return data


class HouseholdMergeForm(forms.Form):
    """The household this one joins; all members move there and this one closes."""

    target_household_id = forms.CharField(label=_("Mã hộ nhận (hộ nhập vào)"), max_length=40)
    confirm = forms.BooleanField(label=_("Tôi hiểu: mọi thành viên chuyển sang hộ nhận, hộ này ngừng hoạt động"))


__all__ = [
    "HouseholdAddForm",
    "HouseholdMergeForm",
    "HouseholdSplitForm",
    "MemberAddForm",
    "MemberLeaveForm",
    "show_service_error",
]
