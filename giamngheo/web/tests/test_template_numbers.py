"""No number in a template is grouped ("1.001") where it is an identifier, a year, a page, a row
number or an HTML attribute: the site renders with USE_THOUSAND_SEPARATOR and Vietnamese groups
with dots, so `agree_{{ item.pk }}` became `agree_22.223` and votes were stored as 0.

The scan covers every template of the project (web, review certificates, reports). A flagged
expression must go through `|unlocalize` (or sit inside `{% localize off %}`), or through a filter
that already writes text (a date, an amount in đồng, a URL part). Text identifiers of the data
contract (household_id, member_id, national_id...) are strings and need nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import giamngheo

ROOT = Path(giamngheo.__file__).parent
VARIABLE = re.compile(r"\{\{\s*(.*?)\s*\}\}", re.S)
LOCALIZE_OFF = re.compile(r"\{%\s*localize\s+off\s*%\}.*?\{%\s*endlocalize\s*%\}", re.S)
TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.S)
# filters whose output is text, never a grouped number
TEXT_FILTERS = {
    "unlocalize",
    "ngay",
    "vnd",
    "mask_id",
    "urlencode",
    "date",
    "time",
    "upper",
    "lower",
    "yesno",
    "stringformat",
    "slugify",
    "escapejs",
    "json_script",
    "iriencode",
}
# fields of the data contract and the models that are text although their names look like numbers
TEXT_NAMES = {
    "household_id",
    "member_id",
    "national_id",
    "standard_id",
    "admin_code",
    "decision_number",
    "LANGUAGE_CODE",
}
IDENTIFIER = re.compile(r"(^|\.)(pk|id|counter0?|number|page|year|\w+_id|\w*year\w*|\w*page\w*|\w+_number)$")
# expressions known to be text, which may sit in an attribute unfiltered (the report form's codes
# and periods are strings from the query string; the what-if thresholds are shown as typed)
TEXT_IN_ATTRIBUTES = {
    "next",
    "q",
    "unit",
    "period",
    "period.label",
    "code",
    "c",
    "s",
    "f",
    "name",
    "level",
    "kind",
    "value",
    "chart_png",
    "request.get_full_path",
    "request.GET.k",
    "request.GET.weights",
    "LANGUAGE_CODE|default:'vi'",
    "field.name",
    "field.html_name",
    "round.step",
    "back",  # the round list's query string, already url-encoded text
    "confirm",  # the confirmation field's name
    "worklist",  # the worklist's query string, already url-encoded text
    "worklist_field",  # the name of the field that carries it
    "following_url",
    "label",  # a state's label
    "values.received_on",  # the date as the user typed it
    "v.name",  # a village's name, the household list's filter value
    "language",  # the page's language code
    "picker.kept",  # a unit code from the link, kept as typed
    "g.district.name",  # a district's name, the unit picker's group
    "request.GET.q",  # the picker's search text as typed
}


def templates() -> list[Path]:
    return sorted(p for p in ROOT.rglob("templates/**/*.html") if ".venv" not in p.parts)


def _parts(expression: str) -> tuple[str, list[str]]:
    pieces = [p.strip() for p in re.split(r"\|(?=(?:[^\"']*[\"'][^\"']*[\"'])*[^\"']*$)", expression)]
    return pieces[0], [p.split(":", 1)[0] for p in pieces[1:]]


def problems_in(text: str) -> list[str]:
    """Each expression of `text` that may render a grouped number where digits must stay raw."""
    text = LOCALIZE_OFF.sub(lambda m: " " * len(m.group()), text)
    in_tag = [False] * len(text)
    for tag in TAG.finditer(text):
        for i in range(tag.start(), tag.end()):
            in_tag[i] = True
    found = []
    for match in VARIABLE.finditer(text):
        expression = match.group(1)
        base, filters = _parts(expression)
        if TEXT_FILTERS & set(filters):
            continue
        name = base.rsplit(".", 1)[-1]
        line = text.count("\n", 0, match.start()) + 1
        if in_tag[match.start()] and expression not in TEXT_IN_ATTRIBUTES and base not in TEXT_IN_ATTRIBUTES:
            found.append(f"{line}: {{{{ {expression} }}}} inside an HTML attribute")
        elif IDENTIFIER.search(base) and name not in TEXT_NAMES and not base.startswith("request.GET"):
            found.append(f"{line}: {{{{ {expression} }}}} is an identifier, year, page or row number")
    return found


def test_the_scan_finds_the_defects_it_is_for():
    assert problems_in('<input name="agree_{{ item.pk }}">')
    assert problems_in("{{ m.birth_year|default:'—' }}")
    assert problems_in('<progress max="{{ r.n_listed|default:1 }}" value="{{ r.n_done }}">')
    assert problems_in("Số: {{ c.number }}/GCN")
    assert problems_in('<a href="?page={{ page.next_page_number }}">')
    assert problems_in("<td>{{ forloop.counter }}</td>")
    assert not problems_in('<input name="agree_{{ item.pk|unlocalize }}">{{ m.birth_year|default:"—"|unlocalize }}')
    assert not problems_in("{% localize off %}{{ item.pk }}{% endlocalize %}{{ h.household_id }}{{ r.n_done }}")
    assert not problems_in('<input value="{{ today|ngay }}">{{ listed.household.household_id }}')


def test_no_template_renders_an_identifier_or_attribute_number_grouped():
    assert len(templates()) > 30
    failures = {str(p.relative_to(ROOT)): problems_in(p.read_text()) for p in templates()}
    failures = {path: found for path, found in failures.items() if found}
    assert not failures, "\n".join(f"{path}:{line}" for path, lines in failures.items() for line in lines)


def test_numbers_past_1000_render_raw_where_they_are_identifiers():
    """The certificate numbered 1000, a member born in 1958 with no full date, the pager at page 1,000,
    and a progress bar of 3,000 households: rendered in Vietnamese, as the site is."""
    from types import SimpleNamespace as NS

    from django.core.paginator import Paginator
    from django.template.loader import render_to_string
    from django.utils import translation

    from giamngheo.review.documents import certificate_text

    member = NS(
        full_name="Lò Văn Tư",
        birth_date=None,
        birth_year=1958,
        national_id="014058000321",
        get_relation_to_head_display=lambda: "Chủ hộ",
        get_ethnicity_display=lambda: "Thái",
        member_id="03880000001-01",
    )
    with translation.override("vi"):
        place = {"commune_name": "Xã Tạ Khoa", "province_name": "Tỉnh Lai Châu"}
        household = NS(address="Bản Nà Sản", village_name="Bản Nà Sản")
        words = certificate_text(1000, "poor", "vn-2022-2025", household, member, [member] * 1001, place)
        certificate = render_to_string(
            "review/certificate.html",
            {
                "certificates": [words],
                "round": NS(decision_number="45/QĐ-UBND", decision_date=None),
                **place,
            },
        )
        rows = [
            {
                "household_id": f"03880{i:06d}",
                "head_name": "",
                "village_name": "",
                "member_count": 1,
                "income_per_capita_month": 0,
            }
            for i in range(20_010)
        ]
        pager = render_to_string("web/_household_rows.html", {"page": Paginator(rows, 10).page(1000), "q": ""})
        progress = render_to_string(
            "web/review/progress.html",
            {
                "rounds": [
                    NS(
                        pk=1001,
                        commune=NS(name="Xã Tạ Khoa"),
                        get_kind_display="Định kỳ",
                        reference_date=None,
                        get_step_display="Họp dân",
                        n_listed=3000,
                        n_done=999,
                    )
                ]
            },
        )
    assert "Số: 1000/GCN-HN.HCN" in certificate and "1.000/GCN" not in certificate
    assert "<span>1958</span>" in certificate and "1.958" not in certificate  # the member's birth year
    assert "<td>1001</td>" in certificate  # row numbers of the members' table
    assert "page=999" in pager and "page=1001" in pager and "1000/2001" in pager and "1.000" not in pager
    assert 'max="3000" value="999"' in progress


def test_the_household_page_and_form_b_show_a_birth_year_raw(client, realistic_commune):
    from giamngheo.accounts.models import Role
    from giamngheo.accounts.tests.factories import user_with_role
    from giamngheo.registry.models import Member

    member = Member.objects.filter(household__unit=realistic_commune.commune).order_by("pk").first()
    Member.objects.filter(pk=member.pk).update(birth_date=None, birth_year=1958)
    client.force_login(user_with_role(Role.COMMUNE_OFFICIAL, "03880"))
    page = client.get(f"/ho/{member.household.household_id}/").content.decode()
    assert "1958" in page and "1.958" not in page
