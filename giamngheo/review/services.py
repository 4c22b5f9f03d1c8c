"""Each step of a review round as a service: it checks what the law requires first, records who
and when, and refuses the rest (no recognition before posting ends; a closed round is read-only).

The law each step applies (the periodic window, the regular review's day, the posting period,
the meeting's majority) is dated data in `standards/data/review/procedure.yaml`, read for the
round's reference date; who may do each step is `accounts/access.py`'s (`require_survey` ...).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction

from giamngheo.core import clock

from ..accounts import access
from ..accounts.access import require_round_standard_choice
from ..classification.services import classification_record
from ..core.audit import audit
from ..core.errors import AccessDenied, ServiceError
from ..registry.models import Household, Member
from ..registry.services import household_update, member_update
from ..standards.procedure import review_law
from .models import (
    STEP_ORDER,
    Complaint,
    Listed,
    MeetingVote,
    Request,
    ReviewRound,
    RoundKind,
    RoundStep,
    Status,
    VillageMeeting,
)
from .selectors import meeting_households, round_standard_of
from .statuses import summary_refresh
from .transitions import transition


def _open(review_round: ReviewRound) -> ReviewRound:
    fresh = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
    if fresh.step == RoundStep.CLOSED:
        raise ServiceError("Đợt rà soát đã kết thúc, không thể sửa", "This round is closed and read-only")
    return fresh


def _step_name(step: str, language: str) -> str:
    """A step's label in one language (the two halves of a ServiceError, whatever the page's language)."""
    from django.utils import translation

    with translation.override(language):
        return str(RoundStep(step).label) if step in STEP_ORDER else step


def _at(review_round: ReviewRound, *steps: str) -> None:
    if review_round.step not in steps:
        vi, en = (", ".join(_step_name(s, lang) for s in steps) for lang in ("vi", "en"))
        raise ServiceError(
            f"Việc này chỉ làm ở bước: {vi} (đang ở: {_step_name(review_round.step, 'vi')})",
            f"Only allowed at step(s) {en}; the round is at {_step_name(review_round.step, 'en')}",
        )


MAX_ATTENDANCE = 100_000  # more people than any village has: a typing error, and past PostgreSQL's integer
NAME_LENGTH = 120  # the model's limit for names of villages and people


def _date_in_round(
    review_round: ReviewRound,
    day: dt.date,
    what_vi: str,
    what_en: str,
    field: str,
    not_before: dt.date | None = None,
    before_vi: str = "",
    before_en: str = "",
) -> None:
    """A step's date lies between the round's reference date (or a later `not_before`) and today."""
    floor = max(review_round.reference_date, not_before) if not_before else review_round.reference_date
    today = clock.today()
    if day > today:
        raise ServiceError(
            f"{what_vi} ({day:%d/%m/%Y}) sau ngày hôm nay ({today:%d/%m/%Y})",
            f"{what_en} ({day:%d/%m/%Y}) is after today ({today:%d/%m/%Y})",
            field=field,
        )
    if day < floor:
        if not_before and floor == not_before:
            raise ServiceError(
                f"{what_vi} ({day:%d/%m/%Y}) trước {before_vi} ({floor:%d/%m/%Y})",
                f"{what_en} ({day:%d/%m/%Y}) is before {before_en} ({floor:%d/%m/%Y})",
                field=field,
            )
        raise ServiceError(
            f"{what_vi} ({day:%d/%m/%Y}) trước ngày tham chiếu của đợt ({floor:%d/%m/%Y})",
            f"{what_en} ({day:%d/%m/%Y}) is before the round's reference date ({floor:%d/%m/%Y})",
            field=field,
        )


def _text(value: str, what_vi: str, what_en: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(f"Cần {what_vi}", f"{what_en} is required", field=field)
    if len(value) > NAME_LENGTH:
        raise ServiceError(
            f"{what_vi.capitalize()} dài quá {NAME_LENGTH} ký tự",
            f"{what_en} is longer than {NAME_LENGTH} characters",
            field=field,
        )
    return value


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The last day of a period of `days` working days starting on `start` (Mon-Fri; holidays not known)."""
    current, counted = start, 0
    while True:
        if current.weekday() < 5:
            counted += 1
            if counted == days:
                return current
        current += dt.timedelta(days=1)


@transaction.atomic
def request_record(*, actor, household: Household, form: str, received_on: dt.date, channel: str) -> Request:
    access.require_survey(actor, household.unit_id)
    if form not in Request.Form.values or channel not in Request.Channel.values:
        raise ServiceError("Mẫu hoặc hình thức nộp không hợp lệ", "unknown form or channel")
    if received_on > clock.today():
        raise ServiceError(
            f"Ngày nhận ({received_on:%d/%m/%Y}) sau ngày hôm nay ({clock.today():%d/%m/%Y})",
            f"The date received ({received_on:%d/%m/%Y}) is after today ({clock.today():%d/%m/%Y})",
            field="received_on",
        )
    request = Request(household=household, form=form, received_on=received_on, channel=channel, recorded_by=actor)
    request.review_round = _round_to_join(household)
    request._history_user = actor
    request.save()
    if request.review_round is not None:
        _list_by_request(request)
    audit(actor, "review.request", household, form=form, channel=channel, review_round=request.review_round_id)
    return request


JOINABLE_STEPS = (RoundStep.LISTING, RoundStep.SURVEYING, RoundStep.MEETINGS)  # Form B is still possible


def _round_to_join(household: Household) -> ReviewRound | None:
    """The commune's open round a request recorded now joins: one that can still survey the household
    (up to the village meetings). Later, or with no round open, it waits for the next round, which
    takes every request not yet in a round (`round_open`)."""
    return ReviewRound.objects.select_for_update().filter(commune_id=household.unit_id, step__in=JOINABLE_STEPS).first()


def _list_by_request(request: Request) -> None:
    """Put the requesting household on its round's list (if it is not on it already)."""
    reason = Listed.Reason.REQUEST_EXIT if request.form == Request.Form.EXIT else Listed.Reason.REQUEST_REVIEW
    if not Listed.objects.filter(review_round=request.review_round, household=request.household).exists():
        _save_as(
            request.recorded_by, Listed(review_round=request.review_round, household=request.household, reason=reason)
        )


def _save_as(actor, row: Any) -> None:
    """Save a history-tracked row with who did it (django-simple-history reads `_history_user`)."""
    row._history_user = actor
    row.save()


@transaction.atomic
def round_open(*, actor, commune, kind: str, reference_date: dt.date, on: dt.date | None = None) -> ReviewRound:
    """Open a round and list its households: those on the poor/near-poor lists, and requests."""
    access.require_manage_round(actor, commune.pk)
    on = on or clock.today()
    law = review_law()
    first, last = law.periodic_window(on, reference_date)
    if kind == RoundKind.PERIODIC and not (first <= on <= last):
        raise ServiceError(
            f"Rà soát định kỳ chỉ từ {first:%d/%m} đến {last:%d/%m}",
            f"A periodic review runs {first:%d/%m} - {last:%d/%m}",
        )
    day = law.regular_review_day(reference_date)
    if kind == RoundKind.REGULAR and on.day < day:
        raise ServiceError(
            f"Rà soát thường xuyên bắt đầu từ ngày {day} hằng tháng",
            f"A regular review starts on day {day} of each month",
        )
    if ReviewRound.objects.filter(commune=commune).exclude(step=RoundStep.CLOSED).exists():
        raise ServiceError("Xã đang có một đợt rà soát chưa kết thúc", "The commune already has an open round")
    review_round = ReviewRound(commune=commune, kind=kind, reference_date=reference_date, opened_by=actor)
    review_round._history_user = actor
    try:
        with transaction.atomic():  # the index one_open_round_per_commune decides between concurrent openings
            review_round.save()
    except IntegrityError as exc:
        raise ServiceError("Xã đang có một đợt rà soát chưa kết thúc", "The commune already has an open round") from exc
    from .statuses import latest_of, status_history

    listed: dict[int, str] = {}
    active = set(Household.objects.filter(unit=commune, is_active=True).values_list("pk", flat=True))
    for pk, category in latest_of(status_history([commune.pk])).select("household_pk", "category").iter_rows():
        if pk in active and category in ("poor", "near_poor"):
            listed[pk] = Listed.Reason.ON_LIST
    for request in Request.objects.filter(household__unit=commune, review_round__isnull=True):
        reason = Listed.Reason.REQUEST_EXIT if request.form == Request.Form.EXIT else Listed.Reason.REQUEST_REVIEW
        listed.setdefault(request.household_id, reason)
        request.review_round = review_round
        request.save(update_fields=["review_round"])
    Listed.objects.bulk_create(
        [Listed(review_round=review_round, household_id=pk, reason=reason) for pk, reason in listed.items()]
    )
    audit(actor, "review.open", review_round, kind=kind, listed=len(listed))
    return review_round


REASON_LENGTH = 1000


@transaction.atomic
def round_standard_set(*, actor, review_round: ReviewRound, standard_id: str, reason: str) -> ReviewRound:
    """A province official chooses the standard a round classifies under, with the reason recorded
    (an empty `standard_id` or "auto" goes back to the dated rule). Only before any Form B result:
    results already classified would otherwise be under two standards in one round."""
    from ..standards.rounds import round_standard_choices

    review_round = _open(review_round)
    require_round_standard_choice(actor, review_round.commune_id)
    _at(review_round, RoundStep.LISTING, RoundStep.SURVEYING)
    if review_round.listed.filter(classification__isnull=False).exists():
        raise ServiceError(
            "Đợt này đã có kết quả Phiếu B nên không đổi được chuẩn nghèo",
            "This round already has Form B results, so its standard can no longer change",
            field="standard",
        )
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("Cần ghi lý do chọn chuẩn", "A reason for the choice is required", field="reason")
    if len(reason) > REASON_LENGTH:
        raise ServiceError(
            f"Lý do dài quá {REASON_LENGTH} ký tự",
            f"The reason is longer than {REASON_LENGTH} characters",
            field="reason",
        )
    standard_id = (standard_id or "").strip()
    if standard_id == "auto":
        standard_id = ""
    allowed = [s.id for s in round_standard_choices(review_round.reference_date)]
    if standard_id and standard_id not in allowed:
        raise ServiceError(
            f"Đợt có ngày tham chiếu {review_round.reference_date:%d/%m/%Y} chỉ dùng được: {', '.join(allowed)}",
            f"A round dated {review_round.reference_date:%d/%m/%Y} may use only: {', '.join(allowed)}",
            field="standard",
        )
    before = round_standard_of(review_round).standard.id
    review_round.standard_override = standard_id
    review_round.standard_reason = reason
    review_round.standard_set_by = actor
    review_round.standard_set_on = clock.today()
    review_round._history_user = actor
    review_round.save()
    after = round_standard_of(review_round).standard.id
    audit(actor, "review.standard", review_round, before=before, after=after, override=standard_id, reason=reason)
    return review_round


@transaction.atomic
def round_advance(
    *,
    actor,
    review_round: ReviewRound,
    from_step: str,
    posting_start: dt.date | None = None,
    today: dt.date | None = None,
) -> ReviewRound:
    """Move from `from_step` to the next step when its preconditions hold (recognition has its own
    service). Naming the step makes a repeated request harmless: once the round has moved on, the
    second "next step" is refused instead of skipping a step."""
    review_round = _open(review_round)
    access.require_manage_round(actor, review_round.commune_id)
    today = today or clock.today()
    step = review_round.step
    if step != from_step:
        raise ServiceError(
            f"Đợt rà soát đã chuyển sang bước {_step_name(step, 'vi')}, không còn ở bước {_step_name(from_step, 'vi')}",
            f"The round is already at step {step}, no longer at {from_step}",
        )
    pending = review_round.listed.values_list("state", flat=True)
    if step == RoundStep.SURVEYING and Listed.State.TO_SURVEY in pending:
        raise ServiceError("Còn hộ chưa rà soát (Phiếu A/Phiếu B)", "Some listed households are not surveyed yet")
    if step == RoundStep.MEETINGS:
        if {Listed.State.TO_SURVEY, Listed.State.SURVEYED} & set(pending):
            raise ServiceError(
                "Còn hộ chưa được họp dân nhất trí", "Some surveyed households lack an approving meeting"
            )
        if posting_start is None:
            raise ServiceError("Cần ngày bắt đầu niêm yết", "A posting start date is required")
        last_meeting = review_round.meetings.order_by("-held_on").values_list("held_on", flat=True).first()
        _date_in_round(
            review_round,
            posting_start,
            "Ngày bắt đầu niêm yết",
            "The posting start",
            "posting_start",
            not_before=last_meeting,
            before_vi="ngày họp dân cuối cùng",
            before_en="the last village meeting",
        )
        review_round.posting_start = posting_start
        days = review_law().posting_working_days(review_round.reference_date)
        review_round.posting_end = add_working_days(posting_start, days)
    if step == RoundStep.POSTING:
        if review_round.posting_end is None or today <= review_round.posting_end:
            raise ServiceError(
                f"Chưa hết thời gian niêm yết (đến {review_round.posting_end:%d/%m/%Y})",
                f"Posting has not ended (until {review_round.posting_end})",
            )
        if Complaint.objects.filter(listed__review_round=review_round, upheld__isnull=True).exists():
            raise ServiceError("Còn khiếu nại chưa phúc tra", "Some complaints have not been re-checked")
        if review_round.listed.filter(state=Listed.State.TO_SURVEY, complaints__upheld=True).exists():
            raise ServiceError(
                "Còn hộ có khiếu nại có cơ sở chưa được rà soát lại (Phiếu B)",
                "Some households with an upheld complaint have not been surveyed again (Form B)",
            )
    if step == RoundStep.RECOGNITION:
        raise ServiceError(
            "Bước công nhận do Chủ tịch UBND xã quyết định", "Recognition is the commune chair's decision"
        )
    review_round.step = STEP_ORDER[STEP_ORDER.index(step) + 1]
    review_round._history_user = actor
    review_round.save()
    audit(actor, "review.advance", review_round, step=review_round.step)
    return review_round


MAX_ASSIGN = 5_000  # households given in one go: a commune's whole list, not a province's


@transaction.atomic
def listed_assign(
    *,
    actor,
    review_round: ReviewRound,
    assignee,
    listed_ids: list[int] | None = None,
    village_id: int | None = None,
) -> int:
    """Give the round's households to a reviewer of the commune, by village (`village_id`) or a
    chosen few (`listed_ids`); `assignee=None` takes them back. The commune's office's work
    (`access.require_assign_reviewers`), while households may still be surveyed; each row's change
    is in its history, the whole in one audit event. Returns how many households changed hands.
    The worklist ("Hộ của tôi") then shows each reviewer the households given to them."""
    from ..standards.formats import number_vi

    review_round = _open(review_round)
    commune_id = review_round.commune_id
    access.require_assign_reviewers(actor, commune_id)
    _at(review_round, RoundStep.LISTING, RoundStep.SURVEYING, RoundStep.MEETINGS, RoundStep.POSTING)
    if assignee is not None and not access.is_reviewer_of(assignee, commune_id):
        raise ServiceError(
            f"{assignee.username} không phải rà soát viên của xã này",
            f"{assignee.username} is not a reviewer of this commune",
            field="nguoi",
        )
    if (listed_ids is None) == (village_id is None):
        raise ServiceError("Hãy chọn một thôn hoặc các hộ cần giao", "Choose a village or the households to assign")
    rows = review_round.listed.select_related("household")
    if village_id is not None:
        rows = rows.filter(household__village_id=village_id)
    else:
        rows = rows.filter(pk__in=list(listed_ids or ()))
    rows = rows.exclude(assignee=assignee) if assignee is not None else rows.exclude(assignee__isnull=True)
    chosen = list(rows.order_by("household__household_id")[: MAX_ASSIGN + 1])
    if len(chosen) > MAX_ASSIGN:
        raise ServiceError(
            f"Mỗi lần giao tối đa {number_vi(MAX_ASSIGN)} hộ", f"At most {MAX_ASSIGN:,} households at a time"
        )
    if not chosen:
        return 0
    from simple_history.utils import bulk_update_with_history

    for row in chosen:
        row.assignee = assignee
    bulk_update_with_history(chosen, Listed, ["assignee"], default_user=actor, default_change_reason="review.assign")
    audit(
        actor,
        "review.assign",
        review_round,
        assignee=getattr(assignee, "username", None),
        village=village_id,
        households=[row.household.household_id for row in chosen],
    )
    return len(chosen)


@transaction.atomic
def form_a_record(*, actor, listed: Listed, passes: bool) -> Listed:
    """Form A (quick identification): a requesting household that is clearly not poor stops here."""
    review_round = _open(listed.review_round)
    access.require_survey(actor, review_round.commune_id)
    _at(review_round, RoundStep.SURVEYING)
    listed.form_a_passed = passes
    listed.state = Listed.State.TO_SURVEY if passes else Listed.State.SCREENED_OUT
    listed.reviewer = actor
    listed._history_user = actor
    listed.save()
    audit(actor, "review.form_a", listed.household, passes=passes)
    return listed


@transaction.atomic
def form_b_record(
    *,
    actor,
    listed: Listed,
    household_facts: dict[str, Any],
    member_facts: dict[str, dict],
    causes: list[str] = (),
    needs: list[str] = (),
    surveyed_on: dt.date | None = None,
    gps: str = "",
    expected_version: int | None = None,
) -> Listed:
    """Form B: the facts, written to the registry (with history), then classified and stored.
    With `expected_version` (the household's version when the form was opened), a Form B based on
    facts someone has changed since is refused, as on the edit page."""
    review_round = _open(listed.review_round)
    access.require_survey(actor, review_round.commune_id)
    listed = Listed.objects.select_for_update().get(pk=listed.pk)
    recheck = review_round.step == RoundStep.POSTING and sent_back_by_complaint(listed)
    if not recheck:
        _at(review_round, RoundStep.SURVEYING, RoundStep.MEETINGS)
    if listed.state not in (Listed.State.TO_SURVEY, Listed.State.SURVEYED):
        raise ServiceError("Hộ này không ở trạng thái chờ rà soát", "This household is not waiting for a survey")
    surveyed_on = surveyed_on or clock.today()
    _date_in_round(review_round, surveyed_on, "Ngày rà soát", "The survey date", "surveyed_on")
    household = household_update(
        actor=actor, household=listed.household, expected_version=expected_version, **household_facts
    )
    for member_id, facts in member_facts.items():
        member = Member.objects.get(household=household, member_id=member_id, is_active=True)
        member_update(actor=actor, member=member, **facts)
    listed.classification = classification_record(
        actor=actor,
        household=household,
        as_of=review_round.reference_date,
        standard=round_standard_of(review_round).standard.id,
    )
    # the re-check's survey is the steering committee's finding on the complaint: it stands for
    # recognition without another village meeting (B: the decision's complaint article was not read)
    listed.state = Listed.State.APPROVED if recheck else Listed.State.SURVEYED
    listed.causes, listed.needs = list(causes), list(needs)
    listed.reviewer, listed.surveyed_on, listed.gps = actor, surveyed_on, gps
    listed._history_user = actor
    listed.save()
    return listed


@transaction.atomic
def meeting_record(
    *,
    actor,
    review_round: ReviewRound,
    village,
    held_on: dt.date,
    chair: str,
    front_supervisor: str,
    attendance: int,
    agree: dict[str, int],
    village_name: str = "",
) -> VillageMeeting:
    """One village's meeting, chaired by its head with the Fatherland Front's representative: each of
    the village's surveyed households needs at least half of those present, otherwise it goes back to
    survey (Decision 24/2021 Art. 4.2, V). `agree` maps household ids to the number who agreed; a
    household of another village, or one not surveyed, is refused. `village` is None only for
    households the registry has not placed in a village; `village_name` then names the place."""
    review_round = _open(review_round)
    access.require_record_meeting(actor, review_round.commune_id)
    _at(review_round, RoundStep.MEETINGS)
    if village is not None and village.commune_id != review_round.commune_id:
        raise ServiceError(
            f"Thôn {village.name} không thuộc xã của đợt rà soát",
            f"village {village.name} is not in the round's commune",
            field="village",
        )
    village_name = _text(
        village.name if village is not None else village_name, "tên thôn", "the village name", "village_name"
    )
    chair = _text(chair, "người chủ trì (trưởng thôn)", "the chair (village head)", "chair")
    front_supervisor = _text(
        front_supervisor, "đại diện Mặt trận Tổ quốc", "the Fatherland Front's representative", "front_supervisor"
    )
    if not 0 < attendance <= MAX_ATTENDANCE:
        raise ServiceError(
            f"Số người dự họp phải từ 1 đến {MAX_ATTENDANCE:,}".replace(",", "."),
            f"attendance must be between 1 and {MAX_ATTENDANCE:,}",
            field="attendance",
        )
    _date_in_round(review_round, held_on, "Ngày họp", "The meeting date", "held_on")
    if not agree:
        raise ServiceError("Cuộc họp chưa có kết quả của hộ nào", "the meeting has no household's result")
    eligible = {
        item.household.household_id: item
        for item in meeting_households(review_round, village).select_for_update(of=("self",))
    }
    elsewhere = sorted(set(agree) - set(eligible))
    if elsewhere:
        raise ServiceError(
            f"Hộ {', '.join(elsewhere[:5])} không phải hộ đã rà soát của {village_name}",
            f"household(s) {', '.join(elsewhere[:5])} are not surveyed households of {village_name}",
        )
    meeting = VillageMeeting(
        review_round=review_round,
        village=village,
        village_name=village_name,
        held_on=held_on,
        chair=chair,
        front_supervisor=front_supervisor,
        attendance=attendance,
        recorded_by=actor,
    )
    meeting._history_user = actor
    meeting.save()
    for household_id, count in agree.items():
        listed = eligible[household_id]
        if count is None or not 0 <= count <= attendance:
            raise ServiceError(
                f"Số đồng ý của hộ {household_id} phải từ 0 đến {attendance}",
                f"the agree count for {household_id} must be between 0 and {attendance}",
            )
        approved = review_law().meeting_approves(count, attendance, review_round.reference_date, review_round.kind)
        MeetingVote.objects.create(meeting=meeting, listed=listed, agree=count, approved=approved)
        listed.state = Listed.State.APPROVED if approved else Listed.State.TO_SURVEY
        listed._history_user = actor
        listed.save()
    audit(actor, "review.meeting", review_round, village=village_name, attendance=attendance, households=len(agree))
    return meeting


@transaction.atomic
def complaint_record(*, actor, listed: Listed, received_on: dt.date, content: str) -> Complaint:
    review_round = _open(listed.review_round)
    access.require_record_complaint(actor, review_round.commune_id)
    _at(review_round, RoundStep.POSTING)
    if listed.review_round_id != review_round.pk:
        raise AccessDenied()
    _date_in_round(
        review_round,
        received_on,
        "Ngày nhận khiếu nại",
        "The complaint's date",
        "received_on",
        not_before=review_round.posting_start,
        before_vi="ngày bắt đầu niêm yết",
        before_en="the start of posting",
    )
    if not content.strip():
        raise ServiceError("Cần nội dung khiếu nại", "The complaint's content is required", field="content")
    complaint = Complaint(listed=listed, received_on=received_on, content=content, recorded_by=actor)
    complaint._history_user = actor
    complaint.save()
    audit(actor, "review.complaint", listed.household)
    return complaint


def sent_back_by_complaint(listed: Listed) -> bool:
    """Whether an upheld complaint has sent the household back to survey and it waits for it."""
    return listed.state == Listed.State.TO_SURVEY and listed.complaints.filter(upheld=True).exists()


@transaction.atomic
def complaint_recheck(*, actor, complaint: Complaint, recheck_on: dt.date, outcome: str, upheld: bool) -> Complaint:
    """The re-check (phúc tra) of a complaint. An upheld complaint ("có cơ sở") sends the household
    back to survey: its approval is withdrawn, it waits for a new Form B (allowed during posting for
    it), and the round cannot go on to recognition until that is done, so a household whose listing
    was found wrong is never recognised on the result complained about."""
    review_round = _open(complaint.listed.review_round)
    access.require_recheck_complaint(actor, review_round.commune_id)
    _at(review_round, RoundStep.POSTING)
    if complaint.upheld is not None:
        raise ServiceError("Khiếu nại này đã được phúc tra", "This complaint has already been re-checked")
    outcome = (outcome or "").strip()
    if not outcome:
        raise ServiceError("Cần kết quả phúc tra", "The re-check's outcome is required", field="outcome")
    _date_in_round(
        review_round,
        recheck_on,
        "Ngày phúc tra",
        "The re-check date",
        "recheck_on",
        not_before=complaint.received_on,
        before_vi="ngày nhận khiếu nại",
        before_en="the complaint's date",
    )
    complaint.recheck_on, complaint.outcome, complaint.upheld = recheck_on, outcome, upheld
    complaint._history_user = actor
    complaint.save()
    if upheld:
        listed = Listed.objects.select_for_update().get(pk=complaint.listed_id)
        listed.state = Listed.State.TO_SURVEY
        _save_as(actor, listed)
    audit(actor, "review.recheck", complaint.listed.household, upheld=upheld)
    return complaint


@transaction.atomic
def round_recognise(*, actor, review_round: ReviewRound, decision_number: str, decision_date: dt.date) -> ReviewRound:
    """The commune chair's decision: every approved household's category enters the register."""
    review_round = _open(review_round)
    access.require_recognise(actor, review_round.commune_id)
    _at(review_round, RoundStep.RECOGNITION)
    if not decision_number.strip():
        raise ServiceError("Cần số quyết định", "A decision number is required", field="decision_number")
    if len(decision_number) > 40:
        raise ServiceError(
            "Số quyết định dài quá 40 ký tự",
            "The decision number is longer than 40 characters",
            field="decision_number",
        )
    after_posting = review_round.posting_end + dt.timedelta(days=1) if review_round.posting_end else None
    _date_in_round(
        review_round,
        decision_date,
        "Ngày quyết định",
        "The decision date",
        "decision_date",
        not_before=after_posting,
        before_vi="ngày sau khi hết niêm yết",
        before_en="the day after posting ended",
    )
    from .statuses import category_histories

    approved = list(review_round.listed.filter(state=Listed.State.APPROVED).select_related("classification"))
    histories = category_histories([listed.household_id for listed in approved])
    for listed in approved:
        history = histories.get(listed.household_id, [])
        category = listed.classification.category
        status = Status(
            household=listed.household,
            category=category,
            valid_from=decision_date,
            review_round=review_round,
            decision_number=decision_number,
            transition=transition(history, category),
        )
        status._history_user = actor
        status.save()
        listed.state = Listed.State.RECOGNISED
        listed._history_user = actor
        listed.save()
    review_round.decision_number, review_round.decision_date = decision_number, decision_date
    review_round.step = RoundStep.CLOSED
    review_round._history_user = actor
    review_round.save()
    audit(actor, "review.recognise", review_round, decision=decision_number)
    summary_refresh([listed.household_id for listed in approved])
    return review_round


@transaction.atomic
def documents_request(*, actor, review_round: ReviewRound):
    """Queue the generation of a round's papers; the page follows the job's progress."""
    from .models import DocumentJob
    from .tasks import generate_round_documents

    access.require_make_papers(actor, review_round.commune_id)
    busy = ServiceError(
        "Tài liệu của đợt này đang được tạo; chờ lần này xong rồi tạo lại",
        "this round's papers are being made: wait until that job ends",
    )
    if review_round.document_jobs.filter(
        kind=DocumentJob.Kind.PAPERS, state__in=[DocumentJob.State.QUEUED, DocumentJob.State.RUNNING]
    ).exists():
        raise busy
    try:
        with transaction.atomic():  # the constraint settles two clicks at the same moment
            job = DocumentJob.objects.create(review_round=review_round, created_by=actor)
    except IntegrityError as exc:
        raise busy from exc
    transaction.on_commit(lambda: generate_round_documents.enqueue(job.pk))
    audit(actor, "review.documents", review_round, job=job.pk)
    return job


@transaction.atomic
def photo_attach(*, actor, listed: Listed, photo) -> Listed:
    """An optional photo of the dwelling taken during the survey (Form B)."""
    review_round = _open(listed.review_round)
    access.require_survey(actor, review_round.commune_id)
    listed.photo.save(f"{listed.household.household_id}-{review_round.pk}.jpg", photo, save=False)
    listed._history_user = actor
    listed.save()
    return listed


@transaction.atomic
def retention_set(*, actor, days: int):
    """The administrator decides how long closed rounds keep their photos and GPS points."""
    from .models import RetentionPolicy

    access.require_set_retention(actor)
    if not 0 <= days <= MAX_RETENTION_DAYS:  # beyond it, `today - days` leaves the calendar (OverflowError)
        raise ServiceError(
            f"Số ngày phải từ 0 đến {MAX_RETENTION_DAYS}",
            f"days must be between 0 and {MAX_RETENTION_DAYS}",
            field="days",
        )
    policy = RetentionPolicy.current()
    policy.survey_data_days = days
    policy._history_user = actor
    policy.save()
    audit(actor, "retention.set", policy, days=days)
    return policy


MAX_RETENTION_DAYS = 100 * 366


@transaction.atomic
def survey_data_purge(*, actor, today: dt.date | None = None) -> int:
    """Remove photos and GPS points of rounds closed longer ago than the retention period, from the
    rows and from their change history (else the history keeps what the purge removed). Whole
    registry: an administrator's work."""
    from .models import RetentionPolicy

    access.require_purge_survey_data(actor)
    today = today or clock.today()
    days = min(RetentionPolicy.current().survey_data_days, MAX_RETENTION_DAYS)
    cutoff = today - dt.timedelta(days=days)
    expired = Listed.objects.filter(review_round__step=RoundStep.CLOSED, review_round__decision_date__lt=cutoff)
    Listed.history.filter(id__in=expired.values("pk")).exclude(photo="", gps="").update(photo="", gps="")
    old = expired.exclude(photo="", gps="")
    count = 0
    for listed in old:
        if listed.photo:
            listed.photo.delete(save=False)
        listed.gps = ""
        listed._history_user = actor
        listed.save()
        count += 1
    audit(actor, "retention.purge", None, households=count, cutoff=str(cutoff))
    return count
