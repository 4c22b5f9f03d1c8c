"""The commune's review (Decision 24/2021/QĐ-TTg): rounds, listed households, meetings, posting,
complaints, recognition, and the register of each household's status over time."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ..classification.models import Category
from ..core.jobs import FileJob, new_job_token  # noqa: F401 (migration 0002 names review.models.new_job_token)
from ..core.words import pick_lazy


class RoundKind(models.TextChoices):
    PERIODIC = "periodic", pick_lazy("Rà soát định kỳ", "Periodic review")  # 1 September to 14 December
    REGULAR = "regular", pick_lazy("Rà soát thường xuyên", "Regular (monthly) review")  # monthly, from the 15th


class RoundStep(models.TextChoices):
    LISTING = "listing", pick_lazy("Lập danh sách", "Listing")
    SURVEYING = "surveying", pick_lazy("Rà soát, phân loại", "Survey and classification")
    MEETINGS = "meetings", pick_lazy("Họp dân", "Village meetings")
    POSTING = "posting", pick_lazy("Niêm yết công khai", "Public posting")
    RECOGNITION = "recognition", pick_lazy("Công nhận", "Recognition")
    CLOSED = "closed", pick_lazy("Đã kết thúc", "Closed")


STEP_ORDER = [s.value for s in RoundStep]


class ReviewRound(models.Model):
    commune = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="review_rounds", verbose_name=_("Xã/phường")
    )
    kind = models.CharField(_("Loại đợt"), max_length=10, choices=RoundKind.choices)
    reference_date = models.DateField(_("Ngày tham chiếu"))
    step = models.CharField(_("Bước"), max_length=12, choices=RoundStep.choices, default=RoundStep.LISTING)
    posting_start = models.DateField(null=True, blank=True)
    posting_end = models.DateField(null=True, blank=True)
    decision_number = models.CharField(_("Số quyết định"), max_length=40, blank=True)
    decision_date = models.DateField(null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    # The standard the round classifies under is the dated rule's (standards/rounds.py) unless a
    # province official chose another for this round, with a reason (review.services.round_standard_set).
    standard_override = models.CharField(max_length=20, blank=True)
    standard_reason = models.TextField(blank=True)
    standard_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    standard_set_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()
    _history_user: Any  # who django-simple-history records for the next save (set by the services)

    class Meta:
        ordering = ["-reference_date"]
        constraints = [  # two officials opening a round at once: the database lets one through
            models.UniqueConstraint(
                fields=["commune"], condition=~models.Q(step="closed"), name="one_open_round_per_commune"
            ),
        ]
        verbose_name = _("đợt rà soát")
        verbose_name_plural = pgettext_lazy("số nhiều", "đợt rà soát")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.commune.name} {self.reference_date:%d/%m/%Y}"


class Request(models.Model):
    """A household's written request: Mẫu số 01 (review) or Mẫu số 04 (recognise an exit)."""

    class Form(models.TextChoices):
        REVIEW = "01", pick_lazy("Mẫu số 01 - đề nghị rà soát", "Form 01 - request for a review")
        EXIT = (
            "04",
            pick_lazy(
                "Mẫu số 04 - đề nghị công nhận thoát nghèo, thoát cận nghèo",
                "Form 04 - request to recognise an exit from poverty or near-poverty",
            ),
        )

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", pick_lazy("Trực tiếp", "In person")
        POST = "post", pick_lazy("Bưu chính", "By post")
        ONLINE = "online", pick_lazy("Cổng dịch vụ công trực tuyến", "Online public service portal")

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="review_requests")
    form = models.CharField(max_length=2, choices=Form.choices)
    received_on = models.DateField()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    review_round = models.ForeignKey(
        ReviewRound, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("giấy đề nghị")
        verbose_name_plural = pgettext_lazy("số nhiều", "giấy đề nghị")

    def __str__(self) -> str:
        return f"{self.get_form_display()} #{self.pk}"


class Listed(models.Model):
    """A household on a round's list, and where it stands in the round."""

    class Reason(models.TextChoices):
        ON_LIST = "on_list", pick_lazy("Đang là hộ nghèo/cận nghèo", "Currently poor or near-poor")
        REQUEST_REVIEW = "request_01", pick_lazy("Có giấy đề nghị (Mẫu 01)", "Has a request (Form 01)")
        REQUEST_EXIT = "request_04", pick_lazy("Đề nghị thoát nghèo (Mẫu 04)", "Asks to exit poverty (Form 04)")

    class State(models.TextChoices):
        TO_SURVEY = "to_survey", pick_lazy("Chờ rà soát", "To survey")
        SCREENED_OUT = "screened_out", pick_lazy("Loại qua Phiếu A", "Screened out by Form A")
        SURVEYED = "surveyed", pick_lazy("Đã rà soát Phiếu B", "Surveyed with Form B")
        APPROVED = "approved", pick_lazy("Họp dân nhất trí", "Approved by the village meeting")
        RECOGNISED = "recognised", pick_lazy("Đã công nhận", "Recognised")

    review_round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="listed")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="listings")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    state = models.CharField(max_length=14, choices=State.choices, default=State.TO_SURVEY)
    form_a_passed = models.BooleanField(null=True)
    classification = models.ForeignKey(
        "classification.Classification", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    causes = models.JSONField(default=list, blank=True)
    needs = models.JSONField(default=list, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # who surveyed it (Form A or B)
    assignee = models.ForeignKey(  # the reviewer the commune's office gave it to (`listed_assign`)
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người được giao"),
    )
    surveyed_on = models.DateField(null=True, blank=True)
    gps = models.CharField(max_length=40, blank=True)
    photo = models.FileField(upload_to="review/photos/", blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review_round", "household"], name="listed_once")]
        ordering = ["household__household_id"]
        verbose_name = _("hộ trong danh sách rà soát")
        verbose_name_plural = pgettext_lazy("số nhiều", "hộ trong danh sách rà soát")

    def __str__(self) -> str:
        return f"Hộ #{self.household_id} trong đợt #{self.review_round_id}"


class VillageMeeting(models.Model):
    review_round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="meetings")
    village = models.ForeignKey("geo.Village", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    village_name = models.CharField(max_length=120)
    held_on = models.DateField()
    chair = models.CharField(max_length=120)
    front_supervisor = models.CharField(max_length=120)  # Mặt trận Tổ quốc
    attendance = models.PositiveIntegerField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cuộc họp dân")
        verbose_name_plural = pgettext_lazy("số nhiều", "cuộc họp dân")

    def __str__(self) -> str:
        return f"Họp {self.village_name} {self.held_on:%d/%m/%Y}"


class MeetingVote(models.Model):
    meeting = models.ForeignKey(VillageMeeting, on_delete=models.CASCADE, related_name="votes")
    listed = models.ForeignKey(Listed, on_delete=models.CASCADE, related_name="votes")
    agree = models.PositiveIntegerField()
    approved = models.BooleanField()

    class Meta:
        verbose_name = _("kết quả bình xét")
        verbose_name_plural = pgettext_lazy("số nhiều", "kết quả bình xét")

    def __str__(self) -> str:
        return f"Biểu quyết #{self.pk}: {self.agree} đồng ý"


class Complaint(models.Model):
    listed = models.ForeignKey(Listed, on_delete=models.CASCADE, related_name="complaints")
    received_on = models.DateField()
    content = models.TextField()
    recheck_on = models.DateField(null=True, blank=True)  # phúc tra
    outcome = models.TextField(blank=True)
    upheld = models.BooleanField(null=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("khiếu nại")
        verbose_name_plural = pgettext_lazy("số nhiều", "khiếu nại")

    def __str__(self) -> str:
        return f"Khiếu nại #{self.pk} ({self.received_on:%d/%m/%Y})"


class StatusSource(models.TextChoices):
    """How a status came into the register: through the round's steps, or entered from a decision the
    commune took before it used giamngheo (`review.decisions.decision_import`, no Form B behind it)."""

    REVIEW = "review", pick_lazy("Rà soát theo các bước", "Reviewed step by step")
    DECISION = "decision", pick_lazy("Ghi từ quyết định, không có Phiếu B", "Recorded from a decision, no Form B")


class Status(models.Model):
    """The register (sổ theo dõi): a household's recognised category from a date, until the next."""

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="statuses")
    category = models.CharField(max_length=12, choices=Category.choices)
    valid_from = models.DateField()
    review_round = models.ForeignKey(ReviewRound, on_delete=models.PROTECT, related_name="statuses")
    decision_number = models.CharField(max_length=40)
    transition = models.CharField(max_length=24)
    source = models.CharField(max_length=10, choices=StatusSource.choices, default=StatusSource.REVIEW)
    history = HistoricalRecords()

    class Meta:
        ordering = ["household_id", "valid_from", "pk"]
        verbose_name = _("trạng thái hộ (sổ theo dõi)")
        verbose_name_plural = pgettext_lazy("số nhiều", "trạng thái hộ (sổ theo dõi)")

    def __str__(self) -> str:
        return f"Hộ #{self.household_id}: {self.get_category_display()} từ {self.valid_from:%d/%m/%Y}"

    @property
    def from_decision(self) -> bool:
        """Recorded from a decision the commune took before giamngheo: no Form B behind it."""
        return self.source == StatusSource.DECISION


class DocumentJob(FileJob):
    """Generating a round's documents in the background, with progress for the page to show.

    One job of a kind runs per round at a time (a constraint, not only a check); each job writes its
    own file."""

    class Kind(models.TextChoices):
        PAPERS = (
            "papers",
            pick_lazy("Biên bản, danh sách niêm yết, giấy chứng nhận", "Minutes, posting list, certificates"),
        )

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PAPERS)
    review_round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="document_jobs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review_round", "kind"],
                condition=models.Q(state__in=["queued", "running"]),
                name="one_unfinished_document_job_per_round_and_kind",
            )
        ]
        verbose_name = _("lượt tạo tài liệu")
        verbose_name_plural = pgettext_lazy("số nhiều", "lượt tạo tài liệu")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_state_display()})"

    # why a job ended unfinished, stored as a code and shown in the reader's language (`error_text`)
    STOPPED = "stopped"  # the worker was told to stop during the job
    ABANDONED = "abandoned"  # the worker died during the job

    @property
    def error_text(self) -> str:
        from django.utils.translation import gettext

        if self.error == self.STOPPED:
            return gettext("Việc tạo tài liệu bị dừng giữa chừng; hãy tạo lại")
        if self.error == self.ABANDONED:
            return gettext("Tiến trình nền đã dừng giữa chừng (máy chủ tắt hoặc bị dừng); hãy tạo lại")
        return self.error


class RetentionPolicy(models.Model):
    """How long survey data of closed rounds (photos, GPS points) is kept; set by the administrator."""

    survey_data_days = models.PositiveIntegerField(_("Số ngày lưu dữ liệu rà soát"), default=5 * 365)
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thời hạn lưu dữ liệu")
        verbose_name_plural = pgettext_lazy("số nhiều", "thời hạn lưu dữ liệu")

    def __str__(self) -> str:
        return f"Giữ dữ liệu khảo sát {self.survey_data_days} ngày"

    @classmethod
    def current(cls) -> RetentionPolicy:
        return cls.objects.order_by("pk").first() or cls.objects.create()
