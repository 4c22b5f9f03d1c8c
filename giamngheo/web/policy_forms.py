"""Forms of the support pages: the lists' filters (policy by name, date dd/mm/yyyy) and the ledger's
entries (a benefit, its reversal, a loan's use check). They check what was typed; the services decide."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from ..core import clock
from ..policies.selectors import policy_choices
from ..standards.formats import date_vi
from .forms import DongField, VietnameseDateField, VietnameseDecimalField


def _date_input() -> forms.TextInput:
    return forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"})


def _choices(policies: list[str] | None) -> list[tuple[str, str]]:
    """The catalogue's policies, or only those named (an agency officer's: it reads no other)."""
    return [(pid, name) for pid, name in policy_choices() if policies is None or pid in policies]


class ChoosingForm(forms.Form):
    """A form whose choices are the catalogue's (or the household's), set when it is made."""

    def _choose(self, name: str, choices: list) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class ListFilter(ChoosingForm):
    """A list's policy and date (today unless typed): the eligible, the gaps, the wrong targets."""

    chinh_sach = forms.ChoiceField(label=_("Chính sách"))
    ngay = VietnameseDateField(label=_("Ngày (dd/mm/yyyy)"), required=False, widget=_date_input())

    def __init__(self, *args, policy_optional: bool = False, policies: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        policy_optional = policy_optional and policies is None  # "every policy" is more than an agency reads
        empty = [("", _("Mọi chính sách"))] if policy_optional else []
        self._choose("chinh_sach", [*empty, *_choices(policies)])
        self.fields["chinh_sach"].required = not policy_optional
        self.fields["ngay"].initial = date_vi(clock.today())

    def clean_ngay(self):
        return self.cleaned_data.get("ngay") or clock.today()


class LedgerFilter(ChoosingForm):
    """The ledger's policy (any) and period of delivery."""

    chinh_sach = forms.ChoiceField(label=_("Chính sách"), required=False)
    tu_ngay = VietnameseDateField(label=_("Từ ngày (dd/mm/yyyy)"), required=False, widget=_date_input())
    den_ngay = VietnameseDateField(label=_("Đến ngày (dd/mm/yyyy)"), required=False, widget=_date_input())

    def __init__(self, *args, policies: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("Mọi chính sách"))] if policies is None else []
        self._choose("chinh_sach", [*every, *_choices(policies)])
        self.fields["chinh_sach"].required = policies is not None

    def clean(self):
        data = super().clean()
        start, end = data.get("tu_ngay"), data.get("den_ngay")
        if start and end and end < start:
            raise forms.ValidationError(_("Đến ngày phải sau từ ngày"))
        return data


class BenefitForm(ChoosingForm):
    """One delivery as the commune official writes it down from the paper behind it."""

    policy_id = forms.ChoiceField(label=_("Chính sách"))
    member = forms.ChoiceField(label=_("Người nhận (chính sách cho thành viên)"), required=False)
    delivered_on = VietnameseDateField(label=_("Ngày nhận (dd/mm/yyyy)"), widget=_date_input())
    quantity = VietnameseDecimalField(label=_("Số lượng"), initial=1)
    amount_vnd = DongField(label=_("Số tiền (đồng)"), initial=0, min_value=0)
    evidence = forms.CharField(label=_("Chứng từ (số văn bản)"), max_length=80, required=False)
    term_months = forms.IntegerField(label=_("Thời hạn vay (tháng)"), required=False, min_value=1, max_value=600)
    interest_percent_year = VietnameseDecimalField(label=_("Lãi suất (%/năm)"), required=False)
    declared_purpose = forms.CharField(label=_("Mục đích vay"), max_length=255, required=False)
    # one key per form drawn: a double tap, a second tab's resubmit or a retry after a timeout
    # records the delivery once (services.benefit_record's submission_key)
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    LOAN_FIELDS = ("term_months", "interest_percent_year", "declared_purpose")

    def __init__(self, *args, members, policies: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["submission_key"] = uuid.uuid4().hex
        self._choose("policy_id", [("", _("Chọn chính sách")), *_choices(policies)])
        self._choose(
            "member",
            [("", _("Cả hộ")), *((m.member_id, f"{m.full_name or m.member_id} ({m.member_id})") for m in members)],
        )
        self.members = {m.member_id: m for m in members}

    def clean_member(self):
        chosen = self.cleaned_data.get("member") or ""
        return self.members.get(chosen)

    def clean_amount_vnd(self):
        return self.cleaned_data.get("amount_vnd") or 0


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Lý do đảo bút toán"), max_length=255)
    xac_nhan = forms.BooleanField(label=_("Tôi xác nhận đảo bút toán này (không hoàn tác được)"))


class LoanCheckForm(forms.Form):
    checked_on = VietnameseDateField(label=_("Ngày kiểm tra (dd/mm/yyyy)"), widget=_date_input())
    observed_use = forms.CharField(label=_("Sử dụng vốn quan sát được"), max_length=255)
    conforms = forms.TypedChoiceField(
        label=_("Đúng mục đích vay"),
        choices=[("yes", _("Đúng mục đích")), ("no", _("Không đúng mục đích"))],
        coerce=lambda v: v == "yes",
    )
