"""Users and role assignments: a role in a unit, from a date, until a date."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    REVIEWER = "reviewer", "Rà soát viên"
    VILLAGE_HEAD = "village_head", "Trưởng thôn"
    COMMUNE_OFFICIAL = "commune_official", "Công chức giảm nghèo xã"
    COMMUNE_CHAIR = "commune_chair", "Chủ tịch UBND xã"
    PROVINCE_OFFICIAL = "province_official", "Cán bộ cấp tỉnh"
    NATIONAL_VIEWER = "national_viewer", "Cán bộ trung ương (xem)"
    ADMIN = "admin", "Quản trị hệ thống"


COMMUNE_ROLES = frozenset({Role.REVIEWER, Role.VILLAGE_HEAD, Role.COMMUNE_OFFICIAL, Role.COMMUNE_CHAIR})
NATIONWIDE_ROLES = frozenset({Role.NATIONAL_VIEWER, Role.ADMIN})
WRITE_ROLES = COMMUNE_ROLES | {Role.ADMIN}


class User(AbstractUser):
    """A person using the system; what they may see comes from their RoleAssignments."""

    history = HistoricalRecords(excluded_fields=["last_login", "password"])


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(max_length=24, choices=Role.choices)
    unit = models.ForeignKey(
        "geo.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    valid_from = models.DateField(default=dt.date.today)
    valid_to = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=sorted(r.value for r in NATIONWIDE_ROLES))
                | Q(unit__isnull=False),  # a set has no order
                name="assignment_unit_required",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} {self.unit_id or '*'}"

    def active_on(self, when: dt.date) -> bool:
        return self.valid_from <= when and (self.valid_to is None or when <= self.valid_to)


class ApiToken(models.Model):
    """A machine client's bearer token; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)  # shown in lists so a token can be recognised, not used
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"
