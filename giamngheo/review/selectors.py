"""Reads of review rounds, through the area scope."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from ..accounts.access import ALL, sees_personal_ids, visible_unit_ids
from ..core.errors import AccessDenied
from ..core.text import vi_sort_key
from ..standards.params import Standard, load_standard
from ..standards.procedure import review_law
from ..standards.rounds import RoundStandard, round_standard
from .models import DocumentJob, Listed, ReviewRound, RoundStep, Status


def rounds_visible_to(actor) -> QuerySet[ReviewRound]:
    ids = visible_unit_ids(actor)
    qs = ReviewRound.objects.all() if ids is ALL else ReviewRound.objects.filter(commune_id__in=ids)
    return qs.select_related("commune", "standard_set_by")


def with_progress(rounds: QuerySet[ReviewRound]) -> QuerySet[ReviewRound]:
    """Each round with how many households it lists (`n_listed`) and how many are past the survey (`n_done`).

    Counted by one subquery per round: a join with GROUP BY over every selected column took 9 ms for a
    commune's two rounds of 3,176 listed households, the subqueries 2.5 ms.
    """
    listed = Listed.objects.filter(review_round=OuterRef("pk")).order_by().values("review_round")
    done = listed.exclude(state=Listed.State.TO_SURVEY)

    def count(of: QuerySet) -> Coalesce:
        return Coalesce(Subquery(of.annotate(n=Count("*")).values("n"), output_field=IntegerField()), 0)

    return rounds.annotate(n_listed=count(listed), n_done=count(done))


def rounds_of(actor, commune_id: int) -> QuerySet[ReviewRound]:
    return with_progress(rounds_visible_to(actor).filter(commune_id=commune_id))


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


def round_progress(actor) -> list[ReviewRound]:
    """Every round the actor may see with how far it is: for the province's overview. Communes in
    Vietnamese order (`core.text.vi_sort_key`), sorted here: the page and the API list them all."""
    rounds = with_progress(rounds_visible_to(actor)).order_by("-reference_date", "pk")
    return sorted(rounds, key=lambda r: vi_sort_key(r.commune.name))


def decision_statuses_of(review_round) -> int:
    """How many statuses the round recorded from a decision taken before giamngheo (no Form B behind
    them, `decisions.decision_import`); 0 for a round reviewed step by step."""
    from .models import StatusSource

    return review_round.statuses.filter(source=StatusSource.DECISION).count()


def register_of(actor, commune_id: int):
    """The commune's register: each household's recognised statuses, oldest first, with the head's
    name and the village (a subquery and a join: one query a page, whatever the commune's size)."""
    from ..registry.selectors import head_field, households_visible_to
    from .models import Status

    households = households_visible_to(actor, include_inactive=True).filter(unit_id=commune_id)
    return (
        Status.objects.filter(household__in=households)
        .select_related("household__village", "review_round")
        .annotate(head_name=head_field("full_name"))
        .order_by("household__household_id", "valid_from", "pk")
    )


REGISTER_COLUMNS = ("Mã hộ", "Chủ hộ", "Thôn", "Từ ngày", "Phân loại", "Biến động", "Quyết định", "Ghi chú")
FROM_DECISION_NOTE = "Ghi từ quyết định, không có Phiếu B"  # a status of `decisions.decision_import`


def register_frame(rows: QuerySet):
    """The register's rows as a table for a file (Vietnamese, as the commune files it): every row the
    filters keep, not only a page; dates as dd/mm/yyyy, ids as text."""
    import polars as pl

    from ..standards.contract import CATEGORY_LABELS
    from ..standards.formats import date_vi
    from .transitions import LABELS

    data = [
        (
            s.household.household_id,
            s.head_name or "",
            (s.household.village.name if s.household.village else s.household.village_name) or "",
            date_vi(s.valid_from),
            CATEGORY_LABELS.get(s.category, (s.category,))[0],
            LABELS.get(s.transition, s.transition),
            s.decision_number,
            FROM_DECISION_NOTE if s.from_decision else "",
        )
        for s in rows.iterator(chunk_size=2000)
    ]
    return pl.DataFrame(data, schema=dict.fromkeys(REGISTER_COLUMNS, pl.String), orient="row")


NOT_RECOGNISED = "chua"  # the status filter's value for households no decision has recognised


def households_by_status(households: QuerySet, category: str, on) -> QuerySet:
    """The households whose latest recognised status on `on` is `category` (`NOT_RECOGNISED`: none yet;
    "": all), by the register's own rule (`statuses.latest_by_household`)."""
    from .statuses import latest_by_household

    if not category:
        return households
    latest = latest_by_household(households.values_list("pk", flat=True), on)
    if category == NOT_RECOGNISED:
        return households.exclude(pk__in=list(latest))
    return households.filter(pk__in=[pk for pk, (found, _) in latest.items() if found == category])


HOUSEHOLD_LIST_COLUMNS = ("Mã hộ", "Chủ hộ", "Thôn", "Nhân khẩu", "Địa chỉ", "Hiện trạng", "Từ ngày")
INCOME_COLUMN = "Thu nhập BQ/tháng (đ)"


def household_list_frame(households: QuerySet, on, *, with_income: bool):
    """The household list as a table for a file (Vietnamese, as the commune files it): every household
    the filters keep, head and size in two queries, the recognised status on `on`; incomes only for
    those who see them (`access.sees_incomes`)."""
    import polars as pl

    from ..registry.selectors import with_heads
    from ..standards.contract import CATEGORY_LABELS
    from ..standards.formats import date_vi
    from .statuses import latest_by_household

    rows = with_heads(households.select_related("village"))
    latest = latest_by_household([h.pk for h in rows], on)
    data = []
    for h in rows:
        category, since = latest.get(h.pk, ("", None))
        data.append(
            (
                h.household_id,
                getattr(h, "head_name", None) or "",  # set by with_heads
                (h.village.name if h.village else h.village_name) or "",
                getattr(h, "member_count", 0),
                h.address or "",
                CATEGORY_LABELS[category][0] if category else "Chưa công nhận",
                date_vi(since) if since else "",
                h.income_per_capita_month,
            )
        )
    schema = {**dict.fromkeys(HOUSEHOLD_LIST_COLUMNS, pl.String), "Nhân khẩu": pl.Int64, INCOME_COLUMN: pl.Int64}
    frame = pl.DataFrame(data, schema=schema, orient="row")
    return frame if with_income else frame.drop(INCOME_COLUMN)


def register_years(rows: QuerySet) -> list[int]:
    """The years in which the register's rows took effect, newest first (the filter's choices)."""
    return [day.year for day in rows.order_by().dates("valid_from", "year", order="DESC")]


def register_search(commune_id: int, rows: QuerySet, query: str) -> QuerySet:
    """Register rows found by household id or head's name, as on the round's list (`by_id_or_head`)."""
    from ..registry.selectors import heads as registry_heads

    return by_id_or_head(rows, registry_heads().filter(household__unit_id=commune_id), query)


def complaints_of(review_round: ReviewRound):
    from .models import Complaint

    return Complaint.objects.filter(listed__review_round=review_round).select_related("listed__household")


def any_status_recorded() -> bool:
    """Whether the register holds any decision yet (the demo records its sample history only once)."""
    return Status.objects.exists()


# --- the round's list, its counts and each reviewer's worklist -------------------------------------------


def listed_rows(review_round: ReviewRound) -> QuerySet[Listed]:
    """The round's households with what the list shows: the head's name, the village, the result, the
    reviewer, and whether complaints are open or upheld. The head's name is a subquery, so a page of 50
    costs one query whatever the round's size."""
    from django.db.models import Exists

    from ..registry.selectors import head_field
    from .models import Complaint, MeetingVote

    head = head_field("full_name")
    complaints = Complaint.objects.filter(listed=OuterRef("pk"))
    return (
        review_round.listed.select_related("household__village", "classification", "reviewer", "assignee")
        .annotate(
            head_name=head,
            has_complaint=Exists(complaints),
            complaint_open=Exists(complaints.filter(upheld__isnull=True)),
            complaint_upheld=Exists(complaints.filter(upheld=True)),
            voted_down=Exists(MeetingVote.objects.filter(listed=OuterRef("pk"), approved=False)),
        )
        .order_by("household__household_id")
    )


MAX_SEARCH = 100


def by_id_or_head(rows: QuerySet, heads: QuerySet, query: str) -> QuerySet:
    """`rows` (each with a `household`) whose household id contains `query`, or whose head among
    `heads` has a name containing it with or without diacritics ("tong van toan" finds "Tòng Văn
    Toàn"). The heads are folded in Python: one query of a few thousand short names (about 10 ms for
    3,000), no extra column to keep in step."""
    from ..core.text import fold

    query = (query or "").strip()[:MAX_SEARCH]
    wanted = fold(query)
    if not wanted:
        return rows
    matching = {pk for pk, name in heads.values_list("household_id", "full_name") if wanted in fold(name)}
    return rows.filter(Q(household__household_id__icontains=query) | Q(household_id__in=matching))


def listed_search(review_round: ReviewRound, rows: QuerySet[Listed], query: str) -> QuerySet[Listed]:
    """The round's rows found by household id or head's name (`by_id_or_head`)."""
    from ..registry.selectors import heads as registry_heads

    return by_id_or_head(rows, registry_heads().filter(household__listings__review_round=review_round), query)


def round_counts(review_round: ReviewRound) -> dict:
    """Counts for the round's summary: households per state, and per village and state (with the
    villages in name order and households the registry has not placed in a village last; `columns`:
    the states some household is in, the per-village table's columns; the approved split into those the
    village meeting agreed and those a complaint's re-check found right, for the recognition's confirmation)."""
    from ..geo.models import Village
    from .models import Complaint

    cells = (
        review_round.listed.values("household__village", "household__village_name", "state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    states = [s.value for s in Listed.State]
    total = dict.fromkeys(states, 0)
    per_village: dict[tuple[int | None, str], dict] = {}  # (village id, free-text name when there is none)
    for cell in cells:
        village_id = cell["household__village"]
        key = (village_id, "" if village_id else cell["household__village_name"] or "")
        row = per_village.setdefault(
            key, {"village_id": village_id, "name": key[1], "states": dict.fromkeys(states, 0)}
        )
        row["states"][cell["state"]] += cell["n"]
        total[cell["state"]] += cell["n"]
    ids = [pk for pk, _ in per_village if pk]
    names = dict(Village.objects.filter(pk__in=ids).values_list("pk", "name"))
    villages = []
    for (pk, _), row in per_village.items():
        if pk:
            row["name"] = names.get(pk, "")
        row["total"] = sum(row["states"].values())
        villages.append(row)
    shown = [s for s in states if total[s]]  # a state no household is in is no column (it fits a phone)
    for row in villages:
        row["cells"] = [(s, Listed.State(s).label, row["states"][s]) for s in shown]
    villages.sort(key=lambda r: (r["village_id"] is None, vi_sort_key(str(r["name"]))))
    complaints = Complaint.objects.filter(listed__review_round=review_round)
    # approved by the steering committee's re-check of an upheld complaint, not by the village meeting
    rechecked = (
        review_round.listed.filter(state=Listed.State.APPROVED, complaints__upheld=True).distinct().count()
        if total[Listed.State.APPROVED]
        else 0
    )
    return {
        "approved_by_meeting": total[Listed.State.APPROVED] - rechecked,
        "approved_by_recheck": rechecked,
        "states": [(s, Listed.State(s).label, total[s]) for s in states],
        "columns": [(s, Listed.State(s).label) for s in shown],
        "by_state": total,
        "total": sum(total.values()),
        "villages": villages,
        "complaints": complaints.count(),
        "complaints_open": complaints.filter(upheld__isnull=True).count(),
    }


def round_reviewers(review_round: ReviewRound) -> list[tuple[int, str]]:
    """(id, username) of everyone who has surveyed a household of the round, for the list's filter."""
    from django.contrib.auth import get_user_model

    ids = review_round.listed.exclude(reviewer=None).values("reviewer")
    return list(get_user_model().objects.filter(pk__in=ids).order_by("username").values_list("pk", "username"))


def round_assignees(review_round: ReviewRound, assignable=()) -> list[tuple[int, str]]:
    """(id, username) of those the round's households are given to, and of `assignable` users (the
    commune's reviewers), for the list's filter by assignee."""
    from django.contrib.auth import get_user_model

    ids = set(review_round.listed.exclude(assignee=None).values_list("assignee", flat=True).distinct())
    ids |= {u.pk for u in assignable}
    return list(get_user_model().objects.filter(pk__in=ids).order_by("username").values_list("pk", "username"))


def worklist_of(actor, review_round: ReviewRound) -> QuerySet[Listed]:
    """A reviewer's households in the round with something left to do: waiting for Form A or Form B
    (first survey, again after a meeting, or after an upheld complaint). Those the commune's office
    gave the reviewer (`services.listed_assign`), and those given to no one that the reviewer took or
    no one has surveyed yet; never one given to someone else. What a household needs is
    `next_task(listed, step)`."""
    mine = Q(assignee=actor) | Q(assignee__isnull=True) & (Q(reviewer=actor) | Q(reviewer__isnull=True))
    return listed_rows(review_round).filter(mine, state=Listed.State.TO_SURVEY)


def worklist_done_by(actor, review_round: ReviewRound) -> int:
    return review_round.listed.filter(reviewer=actor).exclude(state=Listed.State.TO_SURVEY).count()


def next_task(listed: Listed, step: str, form_a_reasons: Collection[str] = ()) -> str:
    """What a listed household is waiting for, in the reader's words for the list (from the annotations of
    `listed_rows`); `form_a_reasons` are the listing reasons that go through Form A first (review law)."""
    if listed.state == Listed.State.TO_SURVEY:
        if getattr(listed, "complaint_upheld", False):
            return gettext("Phúc tra: rà soát lại (Phiếu B)")
        if listed.reason in form_a_reasons and listed.form_a_passed is None:
            return gettext("Phiếu A")
        if getattr(listed, "voted_down", False):
            return gettext("Rà soát lại sau họp dân (Phiếu B)")
        return gettext("Phiếu B")
    if listed.state == Listed.State.SURVEYED:
        return gettext("Chờ họp dân")
    if listed.state == Listed.State.APPROVED:
        return gettext("Chờ công nhận") if step in ("posting", "recognition") else gettext("Chờ niêm yết")
    return ""


def worklist_next(actor, review_round: ReviewRound, after: Listed) -> Listed | None:
    """The household to survey after `after`: the next one of the reviewer's worklist in the same
    village (by household id, wrapping round), else the next one anywhere in the commune."""
    rows = (
        worklist_of(actor, review_round)
        .exclude(pk=after.pk)
        .exclude(  # Form A comes first
            reason__in=review_law().form_a_reasons(review_round.reference_date), form_a_passed__isnull=True
        )
    )
    village = after.household.village_id
    same = rows.filter(household__village_id=village) if village else rows.filter(household__village__isnull=True)
    here = after.household.household_id
    for candidates in (same, rows):
        found = candidates.filter(household__household_id__gt=here).first() or candidates.first()
        if found is not None:
            return found
    return None


def listed_row_get(review_round: ReviewRound, listed_id: int) -> Listed:
    """One household of the round with the list's annotations, or AccessDenied."""
    try:
        return listed_rows(review_round).get(pk=listed_id)
    except Listed.DoesNotExist as exc:
        raise AccessDenied() from exc


def complaints_of_listed(listed: Listed):
    return listed.complaints.select_related("recorded_by").order_by("received_on", "pk")


def open_rounds_in(scope) -> list[ReviewRound]:
    """The rounds not yet closed in a scope's communes (`accounts.access.area_scope` checked the
    reader), with how far each is, communes in Vietnamese order: for the dashboard."""
    rounds = ReviewRound.objects.filter(commune_id__in=scope.commune_ids).exclude(step=RoundStep.CLOSED)
    return sorted(
        with_progress(rounds).select_related("commune").order_by("pk"), key=lambda r: vi_sort_key(r.commune.name)
    )


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


def latest_status_of(household, on) -> Status | None:
    """The household's latest status by `on` (the order of `statuses.latest_of`: the latest date, then
    the latest entry) with its round, in one query: what its page shows, how it came in and the round
    whose standard explains it (read three times before, twice through Polars frames of one row)."""
    return (
        Status.objects.filter(household=household, valid_from__lte=on)
        .select_related("review_round__commune")
        .order_by("-valid_from", "-pk")
        .first()
    )


def status_round_of(household, on) -> ReviewRound | None:
    """The round whose decision gave the household its latest status by `on`, or None if never
    recognised. The household page explains the category under that round's standard, not today's."""
    status = latest_status_of(household, on)
    return status.review_round if status else None


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
