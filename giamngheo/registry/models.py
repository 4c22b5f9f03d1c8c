"""Household and Member: every field of the data contract, history-tracked.

Column names match docs/data-contract.md so imports, exports and the engine need no mapping.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ..core.ethnicities import ETHNICITIES
from ..core.words import pick_lazy
from ..standards import contract as c


def _choices(codes: tuple[str, ...], column: str | None = None) -> list[tuple[str, str]]:
    return [(code, pick_lazy(c.label_vi(code, column), c.label_en(code, column))) for code in codes]


national_id_validator = RegexValidator(
    r"^\d{12}$", "Số định danh cá nhân phải có đúng 12 chữ số / national id must be exactly 12 digits"
)


class Household(models.Model):
    household_id = models.CharField(_("Mã hộ"), max_length=40, unique=True)
    unit = models.ForeignKey(
        "geo.AdminUnit",
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("Xã/phường"),
        db_index=False,
    )  # indexed by (unit, is_active)
    village = models.ForeignKey(
        "geo.Village",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="households",
        verbose_name=_("Thôn, tổ dân phố"),
    )
    village_name = models.CharField(_("Thôn, tổ dân phố (tên)"), max_length=120, blank=True)
    address = models.CharField(_("Địa chỉ"), max_length=255, blank=True)
    area = models.CharField(_("Khu vực"), max_length=5, choices=_choices(c.AREAS), blank=True)
    income_per_capita_month = models.BigIntegerField(_("Thu nhập bình quân đầu người/tháng"), null=True, blank=True)
    income_score = models.IntegerField(_("Điểm thu nhập (điểm A)"), null=True, blank=True)
    walls_durable = models.BooleanField(_("Tường bền chắc"), null=True)
    columns_durable = models.BooleanField(_("Cột bền chắc"), null=True)
    roof_durable = models.BooleanField(_("Mái bền chắc"), null=True)
    floor_area_m2 = models.DecimalField(_("Diện tích nhà ở (m²)"), max_digits=8, decimal_places=2, null=True)
    water_source = models.CharField(_("Nguồn nước"), max_length=24, choices=_choices(c.WATER_SOURCES), blank=True)
    latrine = models.CharField(_("Nhà tiêu"), max_length=24, choices=_choices(c.LATRINES), blank=True)
    uses_telecom = models.BooleanField(_("Sử dụng viễn thông"), null=True)
    has_info_device = models.BooleanField(_("Có phương tiện thông tin"), null=True)
    hears_loudspeaker = models.BooleanField(_("Nghe được loa truyền thanh"), null=True, blank=True)
    uses_internet = models.BooleanField(_("Sử dụng internet"), null=True, blank=True)
    waste_treated = models.BooleanField(_("Rác thải được xử lý"), null=True, blank=True)
    extra = models.JSONField(_("Cột bổ sung"), default=dict, blank=True)
    is_active = models.BooleanField(_("Đang hoạt động"), default=True)
    version = models.PositiveIntegerField(default=1)  # optimistic locking for concurrent edits
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["unit", "is_active"])]
        ordering = ["household_id"]
        verbose_name = _("hộ gia đình")
        verbose_name_plural = pgettext_lazy("số nhiều", "hộ gia đình")

    def __str__(self) -> str:
        return self.household_id

    @property
    def effective_area(self) -> str:
        return self.area or self.unit.area


class Member(models.Model):
    # indexed by (household, is_active) below; a second index on household alone would only slow writes
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="members", db_index=False, verbose_name=_("Hộ")
    )
    member_id = models.CharField(_("Mã thành viên"), max_length=40, unique=True)
    # NULL, not "", for members without an id, so the unique constraint on active ids skips them
    national_id = models.CharField(  # noqa: DJ001
        _("Số định danh cá nhân"), max_length=12, null=True, blank=True, validators=[national_id_validator]
    )
    full_name = models.CharField(_("Họ và tên"), max_length=120, blank=True)
    sex = models.CharField(_("Giới tính"), max_length=6, choices=_choices(c.SEXES), blank=True)
    birth_date = models.DateField(_("Ngày sinh"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("Năm sinh"), null=True, blank=True)
    relation_to_head = models.CharField(
        _("Quan hệ với chủ hộ"), max_length=12, choices=_choices(c.RELATIONS), blank=True
    )
    ethnicity = models.CharField(_("Dân tộc"), max_length=2, choices=list(ETHNICITIES), blank=True)
    highest_education = models.CharField(
        _("Trình độ học vấn"), max_length=24, choices=_choices(c.EDUCATION_LEVELS, "highest_education"), blank=True
    )
    in_school = models.BooleanField(_("Đang đi học"), null=True)
    has_health_insurance = models.BooleanField(_("Có thẻ BHYT"), null=True)
    employment = models.CharField(_("Việc làm"), max_length=24, choices=_choices(c.EMPLOYMENT), blank=True)
    disability = models.CharField(
        _("Khuyết tật"), max_length=12, choices=_choices(c.DISABILITY, "disability"), blank=True
    )
    social_allowance = models.BooleanField(_("Trợ cấp xã hội hằng tháng"), null=True, blank=True)
    stunted = models.BooleanField(_("Suy dinh dưỡng thấp còi"), null=True, blank=True)
    underweight = models.BooleanField(_("Suy dinh dưỡng nhẹ cân"), null=True, blank=True)
    meritorious_service = models.BooleanField(_("Người có công"), null=True, blank=True)
    untreated_illness = models.BooleanField(_("Ốm không được chữa trị"), null=True, blank=True)
    extra = models.JSONField(_("Cột bổ sung"), default=dict, blank=True)
    is_active = models.BooleanField(_("Đang hoạt động"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["national_id"],
                condition=Q(is_active=True, national_id__isnull=False),
                name="national_id_unique_active",
            ),
        ]
        indexes = [models.Index(fields=["household", "is_active"])]  # national_id: the unique partial index
        ordering = ["household_id", "member_id"]
        verbose_name = _("thành viên")
        verbose_name_plural = pgettext_lazy("số nhiều", "thành viên")

    def __str__(self) -> str:
        return f"{self.full_name or self.member_id}"


class LeaveReason(models.TextChoices):
    """Why a member is no longer in the household (`services.member_leave`)."""

    DIED = "died", pick_lazy("Qua đời", "Died")
    MOVED_AWAY = "moved_away", pick_lazy("Chuyển đi nơi khác", "Moved away")


class HouseholdEvent(models.Model):
    """Structural changes (split, merge, move) that history rows alone would not explain."""

    class Kind(models.TextChoices):
        MEMBER_MOVED = "member_moved", pick_lazy("Chuyển thành viên", "Member moved")
        SPLIT = "split", pick_lazy("Tách hộ", "Household split")
        MERGED = "merged", pick_lazy("Nhập hộ", "Households merged")
        LOADED = "loaded", pick_lazy("Nạp dữ liệu", "Data loaded")
        MEMBER_LEFT = "member_left", pick_lazy("Thành viên rời hộ", "Member left")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, null=True, on_delete=models.PROTECT, related_name="events")
    other_household = models.ForeignKey(Household, null=True, on_delete=models.PROTECT, related_name="+")
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("biến động hộ")
        verbose_name_plural = pgettext_lazy("số nhiều", "biến động hộ")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class HouseholdSummary(models.Model):
    """One row a household for the province reports: what they count, kept by the services that
    change it (`registry.summary.summary_refresh`, `review.statuses.summary_refresh`) in the same
    transaction, so a province summary is one grouped query instead of 1.4 million member rows
    read into every web worker. Derived data: its sources are history-tracked, it is not; rebuilt
    whole by `giamngheo summary rebuild`."""

    household = models.OneToOneField(
        Household, primary_key=True, on_delete=models.CASCADE, related_name="summary", db_constraint=True
    )
    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+", db_index=False)
    is_active = models.BooleanField()
    area = models.CharField(max_length=5)  # resolved: the household's own, else its unit's
    size = models.PositiveIntegerField()  # active members
    meritorious = models.PositiveIntegerField()  # active members with meritorious service
    head_sex = models.CharField(max_length=6, null=True)  # noqa: DJ001  (null: no head)
    head_ethnicity = models.CharField(max_length=2, null=True)  # noqa: DJ001
    # the latest recognised status (review.statuses.latest_of's rule); null when never recognised
    status_category = models.CharField(max_length=16, null=True)  # noqa: DJ001
    status_valid_from = models.DateField(null=True)
    status_id = models.BigIntegerField(null=True)  # review's keys as plain numbers: registry sits below review
    round_id = models.BigIntegerField(null=True)
    round_commune_id = models.BigIntegerField(null=True)
    classification_id = models.BigIntegerField(null=True)  # the listing's classification behind the status
    deprivation_count = models.PositiveIntegerField(null=True)

    class Meta:
        indexes = [models.Index(fields=["unit", "is_active"], name="summary_unit_active")]
        verbose_name = _("tóm tắt hộ")
        verbose_name_plural = pgettext_lazy("số nhiều", "tóm tắt hộ")

    def __str__(self) -> str:
        return f"{self.household_id}"
