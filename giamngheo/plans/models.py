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


# a plan's group: code -> (Vietnamese, English); the import reads either word as well as the code
GROUP_WORDS: dict[str, tuple[str, str]] = {
    "can_escape": ("Có khả năng thoát nghèo nếu được hỗ trợ", "Can escape with support"),
    "protection_only": (
        "Chỉ hưởng bảo trợ xã hội, không dự kiến thoát nghèo",
        "Social protection only, not expected to escape",
    ),
    "to_review": ("Cần xem xét thêm", "To be reviewed"),
}


class PlanGroup(models.TextChoices):
    CAN_ESCAPE = "can_escape", pick_lazy(*GROUP_WORDS["can_escape"])
    PROTECTION_ONLY = "protection_only", pick_lazy(*GROUP_WORDS["protection_only"])
    TO_REVIEW = "to_review", pick_lazy(*GROUP_WORDS["to_review"])


class PlanState(models.TextChoices):
    DRAFT = "draft", pick_lazy("Dự thảo", "Draft")
    AGREED = "agreed", pick_lazy("Đã thống nhất với hộ", "Agreed with the household")
    ACHIEVED = "achieved", pick_lazy("Đã đạt", "Achieved")
    NOT_ACHIEVED = "not_achieved", pick_lazy("Không đạt", "Not achieved")


class NotAchievedReason(models.TextChoices):
    """Why an agreed plan did not come true: coded, so the commune's and the province's counts agree."""

    NO_WORKING_CAPACITY = "no_working_capacity", pick_lazy("Không có khả năng lao động", "No working capacity")
    ILLNESS = "illness", pick_lazy("Ốm đau, bệnh nặng, tai nạn", "Illness or accident")
    DISASTER = "disaster", pick_lazy("Thiên tai, dịch bệnh", "Natural disaster or epidemic")
    SUPPORT_NOT_DELIVERED = "support_not_delivered", pick_lazy("Hỗ trợ chưa đến", "Support not delivered")
    SUPPORT_INSUFFICIENT = "support_insufficient", pick_lazy("Hỗ trợ chưa đủ", "Support insufficient")
    HOUSEHOLD_DECLINED = "household_declined", pick_lazy("Hộ không thực hiện cam kết", "The household did not act")
    MOVED_AWAY = "moved_away", pick_lazy("Hộ chuyển đi", "The household moved away")
    OTHER = "other", pick_lazy("Lý do khác", "Other reason")


class PlanSource(models.TextChoices):
    DRAFTED = "drafted", pick_lazy("Dự thảo theo bảng gợi ý", "Drafted from the rules table")
    IMPORTED = "imported", pick_lazy("Nhập từ tệp", "Imported from a file")
    MANUAL = "manual", pick_lazy("Ghi trực tiếp", "Entered directly")


class HouseholdPlan(models.Model):
    """A household's plan out of poverty for one year: why it is poor, what it will do, what it gets."""

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField()
    commune = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")  # the household's
    category = models.CharField(max_length=12, blank=True)  # the register's category when the plan was made
    causes = models.JSONField(default=list, blank=True)  # codes of `rules.plan_causes` (Form B's and `dependency`)
    needs = models.JSONField(default=list, blank=True)  # Form B's needs, as surveyed
    group = models.CharField(max_length=16, choices=PlanGroup.choices, default=PlanGroup.TO_REVIEW)
    target_exit_year = models.PositiveSmallIntegerField(null=True, blank=True)
    commitment = models.TextField(blank=True)  # the household's own words
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    helper = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="plans")
    state = models.CharField(max_length=14, choices=PlanState.choices, default=PlanState.DRAFT)
    agreed_on = models.DateField(null=True, blank=True)
    outcome_reason = models.CharField(max_length=24, choices=NotAchievedReason.choices, blank=True)
    source = models.CharField(max_length=8, choices=PlanSource.choices, default=PlanSource.MANUAL)
    rules_id = models.CharField(max_length=40, blank=True)  # the rules table a drafted plan followed
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="plan_once_a_year"),
            models.CheckConstraint(
                condition=~Q(state="not_achieved") | ~Q(outcome_reason=""), name="plan_not_achieved_reason"
            ),
        ]
        indexes = [models.Index(fields=["commune", "year"], name="plan_commune_year")]
        verbose_name = "kế hoạch thoát nghèo của hộ"
        verbose_name_plural = "kế hoạch thoát nghèo của hộ"

    def __str__(self) -> str:
        return f"Kế hoạch {self.year} · hộ #{self.household_id}"


class PlannedSupport(models.Model):
    """A support the plan counts on: a policy of the catalogue, or a project named in words, in a month."""

    plan = models.ForeignKey(HouseholdPlan, on_delete=models.CASCADE, related_name="supports")
    policy_id = models.CharField(max_length=40, blank=True)  # policies/data/<id>.yaml
    project = models.CharField(max_length=200, blank=True)
    month = models.PositiveSmallIntegerField(null=True, blank=True)  # 1-12 of the plan's year; null: not set yet
    reason = models.CharField(max_length=40, blank=True)  # the cause or need that suggested it ("causes.no_capital")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(policy_id="") & ~Q(project="")) | (~Q(policy_id="") & Q(project="")),
                name="support_policy_or_project",
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12), name="support_month"
            ),
        ]
        verbose_name = "hỗ trợ dự kiến"
        verbose_name_plural = "hỗ trợ dự kiến"

    def __str__(self) -> str:
        return self.policy_id or self.project


class HelperVisit(models.Model):
    """A helper's visit to a household, recorded on a phone: what they found, did, and will do next."""

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="helper_visits")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField()
    difficulties = models.TextField(blank=True)
    actions = models.TextField(blank=True)
    next_step = models.TextField(blank=True)
    benefit = models.ForeignKey(  # a support delivered on the visit, as the ledger recorded it
        "policies.Benefit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["household", "visited_on"], name="visit_household_day")]
        verbose_name = "lần thăm hộ"
        verbose_name_plural = "lần thăm hộ"

    def __str__(self) -> str:
        return f"Thăm hộ #{self.household_id} ngày {self.visited_on:%d/%m/%Y}"


class CommunePlan(models.Model):
    """A commune's annual plan (issue #17 item 4): how many households are to escape poverty in the year,
    and, once the chair approves it by decision, the named list of expected exits taken from the
    households' plans (`ExpectedExit`), kept as it was approved."""

    class State(models.TextChoices):
        DRAFT = "draft", pick_lazy("Dự thảo", "Draft")
        APPROVED = "approved", pick_lazy("Đã phê duyệt", "Approved")

    commune = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    target_households = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    decision_number = models.CharField(max_length=60, blank=True)
    decision_date = models.DateField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "year"], name="commune_plan_once_a_year"),
            models.CheckConstraint(
                condition=Q(state="draft") | (~Q(decision_number="") & Q(decision_date__isnull=False)),
                name="commune_plan_approved_by_decision",
            ),
        ]
        verbose_name = "kế hoạch giảm nghèo năm của xã"
        verbose_name_plural = "kế hoạch giảm nghèo năm của xã"

    def __str__(self) -> str:
        return f"Kế hoạch {self.year} · xã #{self.commune_id}"


class ExpectedExit(models.Model):
    """A household on a commune plan's approved list of expected exits (from its household plan)."""

    commune_plan = models.ForeignKey(CommunePlan, on_delete=models.PROTECT, related_name="expected")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    household_plan = models.ForeignKey(HouseholdPlan, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commune_plan", "household"], name="expected_once")]
        verbose_name = "hộ dự kiến thoát nghèo"
        verbose_name_plural = "hộ dự kiến thoát nghèo"

    def __str__(self) -> str:
        return f"Hộ #{self.household_id} dự kiến thoát nghèo (kế hoạch #{self.commune_plan_id})"
