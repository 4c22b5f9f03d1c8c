"""Every report recomputed from raw records (ORM rows and plain Python), compared with the report's numbers.

The registry is a synthetic part of Sơn La with two recognised decisions (the 2025 periodic review and
a June 2026 monthly one), recorded the way the demo records them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest

from giamngheo.accounts.models import Role
from giamngheo.accounts.tests.factories import user_with_role
from giamngheo.core.errors import AccessDenied, ServiceError
from giamngheo.registry.models import Household, Member
from giamngheo.reports import selectors
from giamngheo.reports.period import parse_period
from giamngheo.reports.tests.registry import synthetic_registry
from giamngheo.review.models import Listed, Status
from giamngheo.standards.params import load_standard
from giamngheo.standards.procedure import review_law

pytestmark = pytest.mark.django_db
PERIOD = "2026"
CAUSES = review_law().causes(parse_period(PERIOD).reference_date)  # the Form B lists of the period
NEEDS = review_law().needs(parse_period(PERIOD).reference_date)


@pytest.fixture
def registry():
    return synthetic_registry(500, seed=11)[0]


# -- the oracle: plain Python over ORM rows --------------------------------------------------------------


def end_and_start():
    """household pk -> (start category, end category, ever poor before start, end round id)."""
    period = parse_period(PERIOD)
    by_household = defaultdict(list)
    for s in Status.objects.order_by("valid_from", "pk"):
        by_household[s.household_id].append(s)
    out = {}
    for pk, rows in by_household.items():
        before = [s for s in rows if s.valid_from < period.start]
        upto = [s for s in rows if s.valid_from <= period.end]
        out[pk] = (
            before[-1].category if before else None,
            upto[-1].category if upto else None,
            any(s.category == "poor" for s in before),
            upto[-1].review_round_id if upto else None,
        )
    return out


def heads():
    return {m.household_id: m for m in Member.objects.filter(relation_to_head="head", is_active=True)}


def rows_by_code(table, level="commune"):
    return {r["code"]: r for r in table.rows if r["_level"] == level}


# -- the reports ---------------------------------------------------------------------------------------


def test_results_by_unit_match_raw_records(registry, province_official):
    table = selectors.report_table(province_official, "ket-qua", "14", PERIOD, with_chart=False)
    status, head = end_and_start(), heads()
    expected = defaultdict(Counter)
    for h in Household.objects.filter(is_active=True).select_related("unit"):
        c = expected[h.unit.code]
        end = status.get(h.pk, (None, None))[1]
        minority = head[h.pk].ethnicity not in ("01", "")
        c["households"] += 1
        c["minority_households"] += minority
        c["poor"] += end == "poor"
        c["poor_minority"] += end == "poor" and minority
        c["near"] += end == "near_poor"
        c["near_minority"] += end == "near_poor" and minority
        c["average"] += end == "average"
    got = rows_by_code(table)
    for code, counts in expected.items():
        for key, value in counts.items():
            assert got[code][key] == value, (code, key)
        assert got[code]["poor_rate"] == round(counts["poor"] * 100 / counts["households"], 2)
    assert sum(c["poor"] for c in expected.values()) > 20  # the fixture does have poor households
    total = table.total_row()
    assert total["households"] == Household.objects.filter(is_active=True).count()
    assert total["poor"] == sum(r["poor"] for r in got.values())
    assert rows_by_code(table, "province")["14"]["near"] == total["near"]
    assert all(r["households"] == 0 for code, r in got.items() if code not in expected)  # every commune listed


def test_changes_follow_the_decisions_and_add_up(registry, province_official):
    poor = selectors.report_table(province_official, "dien-bien-ngheo", "14", PERIOD, with_chart=False).total_row()
    near = selectors.report_table(province_official, "dien-bien-can-ngheo", "14", PERIOD, with_chart=False).total_row()
    status = end_and_start()
    start_poor = sum(s == "poor" for s, _, _, _ in status.values())
    escaped = sum(s == "poor" and e != "poor" for s, e, _, _ in status.values())
    to_near = sum(s == "poor" and e == "near_poor" for s, e, _, _ in status.values())
    relapsed = sum(s != "poor" and e == "poor" and ever for s, e, ever, _ in status.values())
    new = sum(s != "poor" and e == "poor" and not ever for s, e, ever, _ in status.values())
    assert (poor["start"], poor["escaped"], poor["escaped_to_near"], poor["relapsed"], poor["new"]) == (
        start_poor,
        escaped,
        to_near,
        relapsed,
        new,
    )
    assert poor["start"] - poor["escaped"] + poor["relapsed"] + poor["new"] == poor["end"]
    assert poor["escaped"] > 0 and poor["new"] > 0  # the June 2026 decision moved households both ways
    assert (
        near["start"] - near["escaped"] - near["to_poor"] + near["from_poor"] + near["relapsed"] + near["new"]
        == near["end"]
    )
    assert near["start"] == sum(s == "near_poor" for s, _, _, _ in status.values())
    # 2025 has no earlier decision: everything is new, nothing escaped
    first = selectors.report_table(province_official, "dien-bien-ngheo", "14", "2025", with_chart=False).total_row()
    assert first["start"] == 0 and first["escaped"] == 0 and first["new"] == first["end"] > 0


def test_deprivations_count_the_classification_behind_each_status(registry, province_official):
    table = selectors.report_table(province_official, "thieu-hut-ngheo", "14", PERIOD, with_chart=False)
    status = end_and_start()
    expected, n = Counter(), 0
    for pk, (_, end, _, round_id) in status.items():
        if end == "poor":
            n += 1
            deprived = Listed.objects.get(household_id=pk, review_round_id=round_id).classification.deprived
            expected.update(
                k.removeprefix("deprived_") for k, v in deprived.items() if k.startswith("deprived_") and v == 1
            )
    total = table.total_row()
    assert total["classified"] == total["households"] == n
    for indicator in load_standard("vn-2022-2025").indicator_ids:
        assert total[indicator] == expected[indicator], indicator
        assert total[f"{indicator}_rate"] == round(expected[indicator] * 100 / n, 2)


def test_groups_ethnicity_causes_and_children(registry, province_official):
    status, head = end_and_start(), heads()
    when = parse_period(PERIOD).reference_date
    emp = next(i for i in load_standard("vn-2022-2025").indicators if i.id == "employment")
    retire = {sex: emp.value(f"retirement_age_months_{sex}", when) for sex in ("male", "female")}
    disabled = review_law().value("no_working_capacity_disabilities", when)

    def age(m):
        born = m.birth_date or dt.date(m.birth_year, 7, 1)
        return when.year - born.year - ((when.month, when.day) < (born.month, born.day))

    def months(m):  # completed months of age: the retirement age is in months (735 is 61 years 3 months)
        born = m.birth_date or dt.date(m.birth_year, 7, 1)
        return (when.year - born.year) * 12 + when.month - born.month - (when.day < born.day)

    def works(m):
        return (
            emp.value("working_age_min", when) <= age(m)
            and months(m) < retire[m.sex]
            and not m.in_school
            and m.disability not in disabled
        )

    members = defaultdict(list)
    for m in Member.objects.filter(is_active=True):
        members[m.household_id].append(m)
    groups = selectors.report_table(province_official, "nhom-doi-tuong", "14", PERIOD, with_chart=False).total_row()
    poor = [pk for pk, (_, e, _, _) in status.items() if e == "poor"]
    assert groups["poor"] == len(poor)
    assert groups["poor_merit"] == sum(any(m.meritorious_service for m in members[pk]) for pk in poor)
    assert groups["poor_nowork"] == sum(not any(works(m) for m in members[pk]) for pk in poor)
    assert groups["poor_minority"] == sum(head[pk].ethnicity != "01" for pk in poor)
    listed = {(x.household_id, x.review_round_id): x for x in Listed.objects.all()}
    needs = Counter(
        n for pk, (_, e, _, r) in status.items() if e in ("poor", "near_poor") for n in listed[(pk, r)].needs
    )
    assert {c: groups[f"need_{c}"] for c in NEEDS} == {c: needs[c] for c in NEEDS}

    causes = selectors.report_table(province_official, "nguyen-nhan", "14", PERIOD, with_chart=False)
    cited = Counter(c for pk, (_, e, _, r) in status.items() if e == "poor" for c in listed[(pk, r)].causes)
    assert {r["code"]: r["poor"] for r in causes.rows if r["_level"] == "item"} == {c: cited[c] for c in CAUSES}

    ethnic = selectors.report_table(province_official, "dan-toc", "14", PERIOD, with_chart=False)
    by_eth = Counter(head[pk].ethnicity for pk in poor)
    assert {r["code"]: r["poor"] for r in ethnic.rows if r["_level"] == "item"} == {
        e: by_eth[e] for e in {h.ethnicity for h in head.values()}
    }

    kids = selectors.report_table(province_official, "tre-em", "14", PERIOD, with_chart=False).total_row()
    poor_kids = [m for pk in poor for m in members[pk] if age(m) < 16]
    assert kids["poor"] == len(poor_kids) > 0
    assert kids["poor_uninsured"] == sum(m.has_health_insurance is False for m in poor_kids)
    assert kids["poor_malnourished"] == sum(bool(m.stunted or m.underweight) for m in poor_kids)
    assert kids["poor_out_of_school"] == sum(3 <= age(m) and m.in_school is False for m in poor_kids)


def test_detailed_list_has_every_poor_household_and_member_with_masked_ids(registry, province_official):
    table = selectors.report_table(province_official, "danh-sach-ngheo", "14", PERIOD, with_chart=False)
    poor = {pk for pk, (_, e, _, _) in end_and_start().items() if e == "poor"}
    ids = {r["code"] for r in table.rows if r["_level"] == "item"}
    assert ids == set(Household.objects.filter(pk__in=poor).values_list("household_id", flat=True))
    member_rows = [r for r in table.rows if r["_level"] == "member"]
    assert len(member_rows) == Member.objects.filter(household_id__in=poor, is_active=True).count()
    national_ids = set(
        Member.objects.filter(household_id__in=poor).exclude(national_id=None).values_list("national_id", flat=True)
    )
    assert national_ids and not national_ids & {r["national_id"] for r in member_rows}  # masked for the province
    shown = [r["national_id"] for r in member_rows if r["national_id"]]
    assert shown and all(v.startswith("••••••••") and v[-4:].isdigit() for v in shown)
    code = Household.objects.filter(pk__in=poor).values_list("unit__code", flat=True).first()
    commune_official = user_with_role(Role.COMMUNE_OFFICIAL, code, username="xa")
    own = selectors.report_table(commune_official, "danh-sach-ngheo", code, PERIOD, with_chart=False)
    assert {r["national_id"] for r in own.rows if r["_level"] == "member"} & national_ids  # the commune sees them


def test_detailed_list_is_in_vietnamese_order_of_commune_then_village(registry, province_official):
    from giamngheo.core.text import vi_sort_key

    names = ["Thôn 10", "Bản Đa", "Bản Ba", "Thôn 2", "Bản Dơ", "Bản Ăn"]
    for n, pk in enumerate(Household.objects.order_by("pk").values_list("pk", flat=True)):
        Household.objects.filter(pk=pk).update(village_name=names[n % len(names)])
    table = selectors.report_table(province_official, "danh-sach-ngheo", "14", PERIOD, with_chart=False)
    items = [(r["commune"], r["village"]) for r in table.rows if r["_level"] == "item"]
    assert len({village for _, village in items}) == len(names)
    assert items == sorted(items, key=lambda cv: (vi_sort_key(cv[0]), vi_sort_key(cv[1])))


def test_area_scope_is_enforced(registry):
    code = Household.objects.values_list("unit__code", flat=True).first()
    commune_official = user_with_role(Role.COMMUNE_OFFICIAL, code, username="xa")
    other_province = user_with_role(Role.PROVINCE_OFFICIAL, "01", username="hanoi")
    national = user_with_role(Role.NATIONAL_VIEWER, username="tw")
    with pytest.raises(AccessDenied):
        selectors.report_table(commune_official, "ket-qua", "14", PERIOD)
    with pytest.raises(AccessDenied):
        selectors.report_table(other_province, "ket-qua", "14", PERIOD)
    own = selectors.report_table(commune_official, "ket-qua", code, PERIOD, with_chart=False)
    assert [r["code"] for r in own.rows if r["_level"] == "commune"] == [code]
    assert own.total_row()["households"] == Household.objects.filter(unit__code=code, is_active=True).count() > 0
    assert (
        selectors.report_table(national, "ket-qua", "14", PERIOD, with_chart=False).total_row()["households"]
        == Household.objects.count()
    )
    with pytest.raises(ServiceError):
        selectors.report_table(national, "no-such-report", "14", PERIOD)
    with pytest.raises(ServiceError):
        selectors.report_table(national, "ket-qua", "14", "26")


def test_a_dashboard_has_its_charts(registry, province_official):
    board = selectors.dashboard(province_official, "14", PERIOD)
    assert set(board["specs"]) >= {"trend", "indicators", "causes", "rates", "map"}
    dots = board["specs"]["map"]["data"]["values"]
    assert sum(d["poor"] for d in dots) == board["total"]["poor"]
    trend = {(r["date"], r["group"]): r["households"] for r in board["specs"]["trend"]["data"]["values"]}
    assert trend[("2026-06-30", "Hộ nghèo")] == board["total"]["poor"]
    assert board["specs"]["trend"]["config"]["locale"]["number"]["thousands"] == "."
