"""Who helps which household out of poverty (issue #17): organisations, their people, and assignments.

An assignment ties an organisation or one of its people to a household or a whole village for a
period. A person may have a login (`user`) with the `helper` role: `accounts.access.assigned_household_ids`
reads these rows to let that login see the households assigned to the person, and nothing else.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from ..core.words import pick_lazy


class OrganisationKind(models.TextChoices):
    STATE_AGENCY = "state_agency", pick_lazy("Cơ quan nhà nước", "State agency")
    FATHERLAND_FRONT = "fatherland_front", pick_lazy("Mặt trận Tổ quốc", "Fatherland Front")
    FARMERS_UNION = "farmers_union", pick_lazy("Hội Nông dân", "Farmers' Union")
    WOMENS_UNION = "womens_union", pick_lazy("Hội Liên hiệp Phụ nữ", "Women's Union")
    VETERANS_UNION = "veterans_union", pick_lazy("Hội Cựu chiến binh", "Veterans' Association")
    YOUTH_UNION = "youth_union", pick_lazy("Đoàn Thanh niên", "Youth Union")
    BANK = "bank", pick_lazy("Ngân hàng", "Bank")
    ENTERPRISE = "enterprise", pick_lazy("Doanh nghiệp", "Enterprise")
    STEERING_COMMITTEE = "steering_committee", pick_lazy("Ban chỉ đạo giảm nghèo", "Steering committee")


class Organisation(models.Model):
    """An agency, association, bank, enterprise or the steering committee, of a unit (commune, district, province)."""

    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(max_length=200)
    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="organisation_name_once")]
        verbose_name = "tổ chức"
        verbose_name_plural = "tổ chức"

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """Someone of an organisation who follows households; with `user`, they sign in as a helper."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people")
    full_name = models.CharField(max_length=120)
    position = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="helper_person"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "người giúp đỡ"
        verbose_name_plural = "người giúp đỡ"

    def __str__(self) -> str:
        return self.full_name


class HelperAssignment(models.Model):
    """An organisation or a person following a household or a village from `valid_from` to `valid_to`."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments")
    household = models.ForeignKey(
        "registry.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="helper_assignments"
    )
    village = models.ForeignKey(
        "geo.Village", null=True, blank=True, on_delete=models.PROTECT, related_name="helper_assignments"
    )
    commune = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")  # the target's
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True, person__isnull=False)
                | Q(organisation__isnull=False, person__isnull=True),
                name="assignment_one_helper",
            ),
            models.CheckConstraint(
                condition=Q(household__isnull=True, village__isnull=False)
                | Q(household__isnull=False, village__isnull=True),
                name="assignment_one_target",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")), name="assignment_period"
            ),
        ]
        indexes = [models.Index(fields=["commune", "valid_from"], name="assignment_commune")]
        verbose_name = "phân công giúp đỡ"
        verbose_name_plural = "phân công giúp đỡ"

    def __str__(self) -> str:
        return f"{self.person or self.organisation} → {self.household or self.village}"
