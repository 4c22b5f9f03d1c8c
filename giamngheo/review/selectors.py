"""Reads of review rounds, through the area scope."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from ..accounts.access import ALL, visible_unit_ids
from ..core.errors import AccessDenied
from .models import DocumentJob, Listed, ReviewRound, Status


def rounds_visible_to(actor) -> QuerySet[ReviewRound]:
    ids = visible_unit_ids(actor)
    qs = ReviewRound.objects.all() if ids is ALL else ReviewRound.objects.filter(commune_id__in=ids)
    return qs.select_related("commune")


def rounds_of(actor, commune_id: int) -> QuerySet[ReviewRound]:
    return rounds_visible_to(actor).filter(commune_id=commune_id).annotate(
        n_listed=Count("listed"), n_done=Count("listed", filter=~Q(listed__state=Listed.State.TO_SURVEY)))


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


def job_get(actor, job_id: int) -> DocumentJob:
    ids = visible_unit_ids(actor)
    qs = DocumentJob.objects.select_related("review_round")
    if ids is not ALL:
        qs = qs.filter(review_round__commune_id__in=ids)
    try:
        return qs.get(pk=job_id)
    except DocumentJob.DoesNotExist as exc:
        raise AccessDenied() from exc


def latest_job(review_round: ReviewRound) -> DocumentJob | None:
    return review_round.document_jobs.order_by("-pk").first()


def round_progress(actor) -> QuerySet[ReviewRound]:
    """Every round the actor may see with how far it is: for the province's overview."""
    return rounds_visible_to(actor).annotate(
        n_listed=Count("listed"), n_done=Count("listed", filter=~Q(listed__state=Listed.State.TO_SURVEY)),
    ).order_by("commune__name", "-reference_date")


def register_of(actor, commune_id: int):
    """The commune's register: each household's recognised statuses, oldest first."""
    from ..registry.selectors import households_visible_to
    from .models import Status

    households = households_visible_to(actor, include_inactive=True).filter(unit_id=commune_id)
    return (Status.objects.filter(household__in=households).select_related("household", "review_round")
            .order_by("household__household_id", "valid_from", "pk"))


def complaints_of(review_round: ReviewRound):
    from .models import Complaint

    return Complaint.objects.filter(listed__review_round=review_round).select_related("listed__household")


def any_status_recorded() -> bool:
    """Whether the register holds any decision yet (the demo records its sample history only once)."""
    return Status.objects.exists()
