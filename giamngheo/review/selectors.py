"""Reads of review rounds, through the area scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from ..accounts.access import ALL, sees_personal_ids, visible_unit_ids
from ..core.errors import AccessDenied
from ..standards.params import Standard, load_standard
from ..standards.rounds import RoundStandard, round_standard
from .models import DocumentJob, Listed, ReviewRound, Status


def rounds_visible_to(actor) -> QuerySet[ReviewRound]:
    ids = visible_unit_ids(actor)
    qs = ReviewRound.objects.all() if ids is ALL else ReviewRound.objects.filter(commune_id__in=ids)
    return qs.select_related("commune", "standard_set_by")


def rounds_of(actor, commune_id: int) -> QuerySet[ReviewRound]:
    return (
        rounds_visible_to(actor)
        .filter(commune_id=commune_id)
        .annotate(n_listed=Count("listed"), n_done=Count("listed", filter=~Q(listed__state=Listed.State.TO_SURVEY)))
    )


def round_get(actor, round_id: int) -> ReviewRound:
    try:
        return rounds_visible_to(actor).get(pk=round_id)
    except ReviewRound.DoesNotExist as exc:
        raise AccessDenied() from exc


def listed_of(review_round: ReviewRound) -> QuerySet[Listed]:
    return review_round.listed.select_related("household", "classification").order_by("household__household_id")


def listed_get(review_round: ReviewRound, listed_id: int) -> Listed:
    try:
        return review_round.listed.select_related("household", "classification").get(pk=listed_id)
    except Listed.DoesNotExist as exc:
        raise AccessDenied() from exc


def meeting_households(review_round: ReviewRound, village) -> QuerySet[Listed]:
    """The households a village's meeting decides on: that village's surveyed households (village
    None: those the registry has not placed in a village)."""
    listed = review_round.listed.filter(state=Listed.State.SURVEYED)
    listed = (
        listed.filter(household__village__isnull=True) if village is None else listed.filter(household__village=village)
    )
    return listed.select_related("household", "classification").order_by("household__household_id")


def villages_to_meet(review_round: ReviewRound) -> list[dict]:
    """Each village of the round with households waiting for its meeting, and how many."""
    from ..geo.models import Village

    counts = (
        review_round.listed.filter(state=Listed.State.SURVEYED)
        .values("household__village")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_id: dict[int | None, int] = {row["household__village"]: row["n"] for row in counts}
    villages = {v.pk: v for v in Village.objects.filter(pk__in=[k for k in by_id if k is not None])}
    rows: list[dict] = sorted(
        (
            {"village": villages[pk], "name": villages[pk].name, "waiting": n}
            for pk, n in by_id.items()
            if pk is not None
        ),
        key=lambda r: str(r["name"]),
    )
    if None in by_id:
        rows.append({"village": None, "name": "", "waiting": by_id[None]})
    return rows


def village_get(review_round: ReviewRound, village_id: int):
    """A village of the round's commune, or AccessDenied."""
    from ..geo.models import Village

    try:
        return Village.objects.get(pk=village_id, commune_id=review_round.commune_id)
    except Village.DoesNotExist as exc:
        raise AccessDenied() from exc


def job_get(actor, token: str) -> DocumentJob:
    """A document job by its URL token, if the actor may see its round (its progress holds no names)."""
    ids = visible_unit_ids(actor)
    qs = DocumentJob.objects.select_related("review_round")
    if ids is not ALL:
        qs = qs.filter(review_round__commune_id__in=ids)
    try:
        return qs.get(token=token)
    except DocumentJob.DoesNotExist as exc:
        raise AccessDenied() from exc


def may_download_papers(actor) -> bool:
    """The papers are the commune's official documents, printed and handed to households, with every
    member's national id: only roles that see ids in full (the commune's staff, administrators) get
    them. A masked certificate would be no certificate, so masked roles are refused, not served a
    masked copy; they follow the round's progress and its reports instead."""
    return sees_personal_ids(actor)


def job_download(actor, token: str) -> DocumentJob:
    """The finished papers for the actor, with the download audited (they carry national ids)."""
    from ..core.audit import audit

    job = job_get(actor, token)
    if not may_download_papers(actor):
        raise AccessDenied(
            "Vai trò của bạn xem số định danh dạng che nên không tải được giấy tờ có số định danh",
            "your role sees national ids masked, so it may not download papers that list them",
        )
    if job.state != DocumentJob.State.DONE or not job.file:
        raise AccessDenied()
    audit(actor, "review.documents.download", job.review_round, job=job.pk, kind=job.kind)
    return job


def latest_job(review_round: ReviewRound) -> DocumentJob | None:
    return review_round.document_jobs.order_by("-pk").first()


def round_progress(actor) -> QuerySet[ReviewRound]:
    """Every round the actor may see with how far it is: for the province's overview."""
    return (
        rounds_visible_to(actor)
        .annotate(
            n_listed=Count("listed"),
            n_done=Count("listed", filter=~Q(listed__state=Listed.State.TO_SURVEY)),
        )
        .order_by("commune__name", "-reference_date")
    )


def register_of(actor, commune_id: int):
    """The commune's register: each household's recognised statuses, oldest first."""
    from ..registry.selectors import households_visible_to
    from .models import Status

    households = households_visible_to(actor, include_inactive=True).filter(unit_id=commune_id)
    return (
        Status.objects.filter(household__in=households)
        .select_related("household", "review_round")
        .order_by("household__household_id", "valid_from", "pk")
    )


def complaints_of(review_round: ReviewRound):
    from .models import Complaint

    return Complaint.objects.filter(listed__review_round=review_round).select_related("listed__household")


def any_status_recorded() -> bool:
    """Whether the register holds any decision yet (the demo records its sample history only once)."""
    return Status.objects.exists()


@dataclass(frozen=True)
class RoundStandardUse:
    """The standard a round classifies under, and why: the dated rule's, or a province's choice."""

    standard: Standard
    by_rule: RoundStandard  # what the rule says (shown beside a province's choice too)
    overridden: bool
    reason_vi: str
    reason_en: str

    @property
    def verified(self) -> bool:
        """A province's recorded choice is a decision, not an unverified reading of the law."""
        return self.overridden or self.by_rule.verified


def round_standard_of(review_round: ReviewRound) -> RoundStandardUse:
    """Which standard the round's Form B results use, with the reason in plain words."""
    rule = round_standard(review_round.kind, review_round.reference_date)
    if not review_round.standard_override:
        return RoundStandardUse(rule.standard, rule, False, rule.reason("vi"), rule.reason("en"))
    chosen = load_standard(review_round.standard_override)
    who = review_round.standard_set_by.get_username() if review_round.standard_set_by else ""
    on = f"{review_round.standard_set_on:%d/%m/%Y}" if review_round.standard_set_on else ""
    reason = review_round.standard_reason
    return RoundStandardUse(
        chosen,
        rule,
        True,
        f"Cán bộ cấp tỉnh {who} chọn {chosen.title_vi} cho đợt này ngày {on}. Lý do: {reason} "
        f"(Theo quy tắc chung: {rule.standard.title_vi}.)",
        f"Province official {who} chose the {chosen.title_en} for this round on {on}. Reason: {reason} "
        f"(By the general rule: {rule.standard.title_en}.)",
    )
