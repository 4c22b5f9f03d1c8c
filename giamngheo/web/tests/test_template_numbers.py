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
TEXT_FILTERS = {"unlocalize", "ngay", "vnd", "mask_id", "urlencode", "date", "time", "upper", "lower", "yesno",
                "stringformat", "slugify", "escapejs", "json_script", "iriencode"}
# fields of the data contract and the models that are text although their names look like numbers
TEXT_NAMES = {"household_id", "member_id", "national_id", "standard_id", "admin_code", "decision_number",
              "LANGUAGE_CODE"}
IDENTIFIER = re.compile(r"(^|\.)(pk|id|counter0?|number|page|year|\w+_id|\w*year\w*|\w*page\w*|\w+_number)$")
# expressions known to be text, which may sit in an attribute unfiltered (the report form's codes
# and periods are strings from the query string; the what-if thresholds are shown as typed)
TEXT_IN_ATTRIBUTES = {"next", "q", "unit", "period", "period.label", "code", "c", "s", "f", "name", "level",
                      "kind", "value", "chart_png", "request.get_full_path", "request.GET.k",
                      "request.GET.weights", "LANGUAGE_CODE|default:'vi'", "field.name", "field.html_name"}


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
