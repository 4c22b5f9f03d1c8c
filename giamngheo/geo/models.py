"""Dated administrative units, the old-to-new commune mapping, and villages.

Codes are reused across the 1 July 2025 reform (ward 00004 exists before and after), so a unit
is identified by (code, level, valid_from), and a code alone is resolved with a date.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ..core.words import pick_lazy
from .unit_tables import URBAN_TYPES


class UnitLevel(models.TextChoices):
    PROVINCE = "province", pick_lazy("Tỉnh/thành phố", "Province/city")
    DISTRICT = "district", pick_lazy("Huyện/quận/thị xã", "District/town")
    COMMUNE = "commune", pick_lazy("Xã/phường/thị trấn/đặc khu", "Commune/ward/township/special zone")


class Area(models.TextChoices):
    RURAL = "rural", pick_lazy("Nông thôn", "Rural")
    URBAN = "urban", pick_lazy("Thành thị", "Urban")


class AdminUnit(models.Model):
    code = models.CharField(_("Mã"), max_length=8, db_index=True)
    level = models.CharField(_("Cấp"), max_length=10, choices=UnitLevel.choices)
    name = models.CharField(_("Tên"), max_length=120)
    # Xã, Phường, Thị trấn, Đặc khu, Tỉnh, ...
    unit_type = models.CharField(_("Loại đơn vị"), max_length=40, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    province_code = models.CharField(_("Mã tỉnh"), max_length=4, db_index=True)
    valid_from = models.DateField(_("Hiệu lực từ"), null=True, blank=True)  # null: since before the data begins
    valid_to = models.DateField(_("Hiệu lực đến"), null=True, blank=True)  # last day in force; null: still in force
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["code", "level", "valid_from"], name="unit_code_level_from", nulls_distinct=False
            ),
        ]
        indexes = [models.Index(fields=["level", "province_code"])]
        ordering = ["code"]
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = pgettext_lazy("số nhiều", "đơn vị hành chính")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def area(self) -> str:
        """xã and đặc khu are rural; phường and thị trấn urban (đặc khu: unverified)."""
        return Area.URBAN if self.unit_type in URBAN_TYPES else Area.RURAL

    def in_force_on(self, when: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= when) and (self.valid_to is None or when <= self.valid_to)


class UnitSuccession(models.Model):
    """Old commune -> new commune on 1 July 2025; a split commune has several, one default."""

    old = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="successions")
    new = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="predecessions")
    is_default = models.BooleanField(default=True)
    effective = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["old", "new"], name="succession_pair")]
        verbose_name = _("liên kết đơn vị cũ - mới")
        verbose_name_plural = pgettext_lazy("số nhiều", "liên kết đơn vị cũ - mới")

    def __str__(self) -> str:
        return f"{self.old_id} → {self.new_id} ({self.effective:%d/%m/%Y})"


class Village(models.Model):
    """Thôn, bản, ấp, tổ dân phố: created under a commune by its officials."""

    class Kind(models.TextChoices):
        VILLAGE = "village", pick_lazy("Thôn/bản/ấp", "Village")
        RESIDENTIAL_GROUP = "residential_group", pick_lazy("Tổ dân phố", "Residential group")

    commune = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="villages", verbose_name=_("Xã/phường")
    )
    name = models.CharField(_("Tên"), max_length=120)
    kind = models.CharField(_("Loại thôn"), max_length=20, choices=Kind.choices, default=Kind.VILLAGE)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commune", "name"], name="village_name_in_commune")]
        ordering = ["name"]
        verbose_name = _("thôn, tổ dân phố")
        verbose_name_plural = pgettext_lazy("số nhiều", "thôn, tổ dân phố")

    def __str__(self) -> str:
        return self.name
