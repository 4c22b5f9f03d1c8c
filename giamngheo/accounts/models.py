"""Users and role assignments: a role in a unit, from a date, until a date."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.models import HistoricalRecords

from ..core import clock
from ..core.words import pick, pick_lazy


class Role(models.TextChoices):
    REVIEWER = "reviewer", pick_lazy("Rà soát viên", "Reviewer")
    VILLAGE_HEAD = "village_head", pick_lazy("Trưởng thôn", "Village head")
    COMMUNE_OFFICIAL = "commune_official", pick_lazy("Công chức giảm nghèo xã", "Commune poverty-reduction official")
    COMMUNE_CHAIR = "commune_chair", pick_lazy("Chủ tịch UBND xã", "Chair of the commune People's Committee")
    PROVINCE_OFFICIAL = "province_official", pick_lazy("Cán bộ cấp tỉnh", "Province official")
    NATIONAL_VIEWER = "national_viewer", pick_lazy("Cán bộ trung ương (xem)", "National official (read only)")
    ADMIN = "admin", pick_lazy("Quản trị hệ thống", "System administrator")
    HELPER = "helper", pick_lazy("Người giúp đỡ", "Helper")  # issue #17: reads only the households assigned
    # issue #16: an agency (social insurance, the Bank for Social Policies, a school, the power company)
    AGENCY_OFFICER = "agency_officer", pick_lazy("Cán bộ cơ quan chuyên môn", "Agency officer")


COMMUNE_ROLES = frozenset({Role.REVIEWER, Role.VILLAGE_HEAD, Role.COMMUNE_OFFICIAL, Role.COMMUNE_CHAIR})
NATIONWIDE_ROLES = frozenset({Role.NATIONAL_VIEWER, Role.ADMIN})
WRITE_ROLES = COMMUNE_ROLES | {Role.ADMIN}
# Roles whose assignment's unit says where they work but grants no unit: they read households one by one
# (`access.assigned_household_ids`), never a commune's lists, rounds or reports.
HOUSEHOLD_ROLES = frozenset({Role.HELPER})
# Roles whose unit grants no area read: an agency officer reads and imports the ledger and eligibility of
# the policies named on the assignment (`RoleAssignment.policies`) in its units, and nothing else
# (`accounts.access.policy_unit_ids`); households, rounds, Form B and reports stay closed.
POLICY_ROLES = frozenset({Role.AGENCY_OFFICER})


class User(AbstractUser):
    """A person using the system; what they may see comes from their RoleAssignments."""

    history = HistoricalRecords(excluded_fields=["last_login", "password"])

    class Meta(AbstractUser.Meta):
        verbose_name = _("người dùng")  # type: ignore[assignment]  # the stubs type AbstractUser.Meta's as str; Django takes a lazy one
        verbose_name_plural = pgettext_lazy("số nhiều", "người dùng")  # type: ignore[assignment]


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("Người dùng"))
    role = models.CharField(_("Vai trò"), max_length=24, choices=Role.choices)
    unit = models.ForeignKey(
        "geo.AdminUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("Đơn vị"),
    )
    valid_from = models.DateField(_("Hiệu lực từ"), default=clock.today)
    valid_to = models.DateField(_("Hiệu lực đến"), null=True, blank=True)
    # catalogue ids (policies/data/<id>.yaml) an agency officer's assignment covers; empty for other roles
    policies = models.JSONField(_("Chính sách"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            # sorted: a set's order follows the hash seed, and makemigrations then saw a changed constraint
            models.CheckConstraint(
                condition=Q(role__in=sorted(r.value for r in NATIONWIDE_ROLES)) | Q(unit__isnull=False),
                name="assignment_unit_required",
            ),
        ]
        verbose_name = _("phân công vai trò")
        verbose_name_plural = pgettext_lazy("số nhiều", "phân công vai trò")

    def __str__(self) -> str:
        return f"{self.user} {self.role} {self.unit_id or '*'}"

    def clean(self) -> None:
        """An agency officer names at least one policy of the catalogue; no other role names any."""
        from .access import policies_problem

        problem = policies_problem(self.role, self.policies)
        if problem is not None:
            raise ValidationError({"policies": pick(*problem)})

    def active_on(self, when: dt.date) -> bool:
        return self.valid_from <= when and (self.valid_to is None or when <= self.valid_to)


class ApiToken(models.Model):
    """A machine client's bearer token; only its SHA-256 is stored. It works until `expires_at`
    (GIAMNGHEO_TOKEN_DAYS after it is made) unless it is revoked first."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("Người dùng"))
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("Tiền tố"), max_length=8)  # shown in lists so a token can be recognised, not used
    created_at = models.DateTimeField(_("Ngày tạo"), auto_now_add=True)
    expires_at = models.DateTimeField(_("Hết hạn lúc"))
    last_used_at = models.DateTimeField(_("Dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("Thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = pgettext_lazy("số nhiều", "mã truy cập API")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"

    def state(self, now: dt.datetime) -> str:
        """`revoked`, `expired` or `active` at `now`."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= now else "active"


class AuthenticatorApp(TOTPDevice):
    """django-otp's TOTP device under a name its administrators read (its own Meta says "TOTP
    device" in English, in a third-party app whose migrations are not ours); no table of its own."""

    class Meta:
        proxy = True
        verbose_name = _("ứng dụng xác thực")
        verbose_name_plural = pgettext_lazy("số nhiều", "ứng dụng xác thực")


class RecoveryCodes(StaticDevice):
    """django-otp's static device: the 8 single-use recovery codes of a user, under a name read."""

    class Meta:
        proxy = True
        verbose_name = _("bộ mã khôi phục")
        verbose_name_plural = pgettext_lazy("số nhiều", "bộ mã khôi phục")
