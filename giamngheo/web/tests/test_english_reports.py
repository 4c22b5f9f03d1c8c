"""Reports in English (#13 item 3): with English chosen, every report's row labels and notes are English
(they were Vietnamese: "Tổng cộng", the causes, the Alkire-Foster groups, the indicators, the notes);
in Vietnamese they stay Vietnamese. Names (units, people, ethnic groups) and legal citations are names."""

from __future__ import annotations

import re

import pytest

from giamngheo.reports.selectors import report_names

from ...review.tests.test_round import households, people  # noqa: F401 (fixtures)
from .test_one_language import _in, recognised, visible  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
VIETNAMESE = re.compile(r"[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.I)
# Row labels and note openings that stayed Vietnamese on English pages before
FORMER = [
    "Tổng cộng",
    "Tổng số hộ",
    "Dân tộc thiểu số",
    "Dân tộc Kinh",
    "Toàn bộ",
    "Theo khu vực",
    "Theo xã",
    "Nông thôn",
    "Thiếu vốn sản xuất",
    "Việc làm",
    "Nhà ở",
    "Duy trì",
    "Nghèo phát sinh",
    "Chủ hộ",
    "Đầu kỳ",
    "Thiếu hụt theo phiếu B",
    "Hộ không có khả năng lao động",
    "Danh mục",
    "Trẻ em:",
    "Chuẩn vn-",
    "Số hộ thiếu hụt",
]


def _notes(page: str) -> list[str]:
    found = re.search(r'<ul class="notes">(.*?)</ul>', page, re.S)
    return [visible(li) for li in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)] if found else []


def _report(client, name: str) -> str:
    response = client.get(f"/bao-cao/{name}/", {"unit": "03880", "period": "2025"})
    assert response.status_code == 200, name
    return response.content.decode()


def test_every_report_is_english_in_english(client, people, recognised):  # noqa: F811
    client.force_login(people["official"])
    _in(client, "en")
    for name, _, _ in report_names():
        page = _report(client, name)
        text = visible(page[page.index("<main") :])
        assert [w for w in FORMER if w in text] == [], name
        assert [n for n in _notes(page) if VIETNAMESE.search(n)] == [], name


def test_the_same_reports_stay_vietnamese_in_vietnamese(client, people, recognised):  # noqa: F811
    client.force_login(people["official"])
    _in(client, "vi")
    seen = set()
    for name, _, _ in report_names():
        page = _report(client, name)
        seen |= {w for w in FORMER if w in visible(page)}
        assert not [n for n in _notes(page) if re.search(r"\b(the|households?|of)\b", n)], name
    assert {"Tổng cộng", "Toàn bộ", "Theo khu vực", "Việc làm", "Đầu kỳ", "Chủ hộ"} <= seen


def test_the_household_log_is_titled_in_the_readers_language(client, people, recognised):  # noqa: F811
    client.force_login(people["official"])
    _in(client, "en")
    page = visible(client.get("/ho/H0/nhat-ky/").content.decode())
    assert "Log of household H0" in page and "Nhật ký hộ" not in page
    _in(client, "vi")
    assert "Nhật ký hộ H0" in visible(client.get("/ho/H0/nhat-ky/").content.decode())
