"""The benefit ledger: what each household or member received, append-only (issue #16).

A row is never changed or deleted: a wrong entry is answered by a reversal (`reverses`), a row of
the opposite quantity and amount, so every total is a plain sum and the history shows both. Each
row keeps the register status on the delivery date and whether the household was eligible then,
read when it was recorded (`services.benefit_record`), so a later decision does not rewrite it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ..core.errors import ServiceError
from ..core.words import pick_lazy


class AppendOnly(models.Model):
    """A row written once: saving an existing row or deleting one is refused (reverse it instead)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ServiceError(
                "Sổ hỗ trợ chỉ ghi thêm: không sửa một dòng đã ghi, hãy ghi bút toán đảo",
                "The benefit ledger is append-only: reverse an entry instead of editing it",
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ServiceError(
            "Sổ hỗ trợ chỉ ghi thêm: không xoá một dòng đã ghi", "The benefit ledger is append-only: no deletion"
        )


class Benefit(AppendOnly):
    class Source(models.TextChoices):
        MANUAL = "manual", pick_lazy("Ghi từng lần", "Recorded one by one")
        IMPORT = "import", pick_lazy("Nhập từ danh sách của cơ quan", "Imported from an agency's list")

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="benefits")
    member = models.ForeignKey("registry.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    policy_id = models.CharField(max_length=40, db_index=True)
    delivered_on = models.DateField()
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    quantity = models.DecimalField(max_digits=12, decimal_places=2, default=1)
    amount_vnd = models.BigIntegerField(default=0)  # integer VND; a reversal's is the negative
    funding_source = models.CharField(max_length=40, blank=True)
    provider = models.CharField(max_length=120, blank=True)
    evidence = models.CharField(max_length=80, blank=True)  # the document number behind the delivery
    status_at_delivery = models.CharField(max_length=12, blank=True)  # the register's category that day
    eligible_at_delivery = models.BooleanField()
    eligibility_reason = models.CharField(max_length=255, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.MANUAL)
    # A delivery list's row ("<list key>", "<list key>#2" once the first is reversed: `deliveries`) or a
    # submission ("form:<token>", `services.benefit_record`): unique when not empty, so a list imported
    # twice at once or a form sent twice writes one row.
    import_key = models.CharField(max_length=255, blank=True, db_index=True)
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    note = models.CharField(max_length=255, blank=True)  # a reversal's reason
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["import_key"], condition=~models.Q(import_key=""), name="benefit_import_key_once"
            )
        ]
        ordering = ["household_id", "delivered_on", "pk"]
        verbose_name = _("hỗ trợ đã nhận")
        verbose_name_plural = pgettext_lazy("số nhiều", "hỗ trợ đã nhận")

    def __str__(self) -> str:
        return f"{self.policy_id} · hộ #{self.household_id} · {self.delivered_on:%d/%m/%Y}"


class Loan(AppendOnly):
    """A preferential loan's terms, one per loan benefit (the amount is the benefit's)."""

    benefit = models.OneToOneField(Benefit, on_delete=models.PROTECT, related_name="loan")
    programme = models.CharField(max_length=80)
    term_months = models.PositiveSmallIntegerField()
    interest_percent_year = models.DecimalField(max_digits=5, decimal_places=2)
    declared_purpose = models.CharField(max_length=255)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("khoản vay")
        verbose_name_plural = pgettext_lazy("số nhiều", "khoản vay")

    def __str__(self) -> str:
        return f"{self.programme} · {self.term_months} tháng · {self.interest_percent_year}%/năm"


class LoanCheck(AppendOnly):
    """A check of how a loan is used (kiểm tra sử dụng vốn vay): the date, what was seen, whether it
    conforms to the declared purpose."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="checks")
    checked_on = models.DateField()
    observed_use = models.CharField(max_length=255)
    conforms = models.BooleanField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["loan_id", "checked_on", "pk"]
        verbose_name = _("kiểm tra sử dụng vốn vay")
        verbose_name_plural = pgettext_lazy("số nhiều", "kiểm tra sử dụng vốn vay")

    def __str__(self) -> str:
        return f"Kiểm tra vốn vay #{self.loan_id} ngày {self.checked_on:%d/%m/%Y}"


class ProvinceNorm(models.Model):
    """A province's own value of a policy's norm from a date (issue #16 item 7): set by its official with
    the decision behind it, read merged over the catalogue's YAML by `norms.norm_of` (the one reader).
    Setting the same date again changes the row; its history keeps what it said before."""

    class Confidence(models.TextChoices):
        V = "V", pick_lazy("Đã đối chiếu văn bản", "Read in the legal text")
        S = "S", pick_lazy("Nguồn thứ cấp", "Secondary source")
        C = "C", pick_lazy("Mã nguồn công khai", "Public code")
        B = "B", pick_lazy("Hiểu biết nền", "Background knowledge")

    policy_id = models.CharField(max_length=40)
    norm = models.CharField(max_length=60)
    province = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField()
    value = models.DecimalField(max_digits=18, decimal_places=4)  # integer VND for an amount (checked when set)
    reference = models.CharField(max_length=255)  # the province's decision or resolution: number, date, article
    confidence = models.CharField(max_length=1, choices=Confidence.choices)
    note = models.CharField(max_length=255, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["policy_id", "norm", "province", "valid_from"], name="province_norm_once")
        ]
        ordering = ["policy_id", "norm", "province_id", "valid_from"]
        verbose_name = _("định mức của tỉnh")
        verbose_name_plural = pgettext_lazy("số nhiều", "định mức của tỉnh")

    def __str__(self) -> str:
        return f"{self.policy_id}.{self.norm} · tỉnh {self.province_id} · {self.valid_from:%d/%m/%Y}"
