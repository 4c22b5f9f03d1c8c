"""Background jobs' words in the reader's language (#13 item 3): an import's summary and a job's error
were stored as "Hộ / households: … thành viên / members: …" and shown so in both languages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from giamngheo.accounts.models import Role
from giamngheo.core.words import halves, one_language
from giamngheo.geo.selectors import unit_by_code

from .test_pages import COMMUNE_A, data, login  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
HOUSEHOLDS = (
    "household_id,admin_code,income_per_capita_month,walls_durable,columns_durable,roof_durable,"
    "floor_area_m2,water_source,latrine,uses_telecom,has_info_device\nW1,03880,1200000,1,1,1,40,piped,septic,1,1\n"
)
MEMBERS = (
    "household_id,member_id,birth_date,highest_education,in_school,has_health_insurance,employment\n"
    "W1,W1-1,01/02/1980,primary,0,1,self_employed\n"
)


def _imported(client, settings, tmp_path, callbacks, language: str) -> str:
    settings.DATA_DIR = tmp_path
    login(client, Role.COMMUNE_OFFICIAL, COMMUNE_A)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    with callbacks(execute=True):
        response = client.post(
            reverse("import_upload", args=[unit_by_code(COMMUNE_A).pk]),
            {
                "households": SimpleUploadedFile("ho.csv", HOUSEHOLDS.encode()),
                "members": SimpleUploadedFile("tv.csv", MEMBERS.encode()),
            },
        )
    page = client.get(response["Location"]).content.decode()
    return page[page.index('id="import-summary"') :].split("</p>", 1)[0]


def test_an_import_summary_is_english_in_english(client, data, settings, tmp_path, django_capture_on_commit_callbacks):  # noqa: F811
    summary = _imported(client, settings, tmp_path, django_capture_on_commit_callbacks, "en")
    assert "Households: 1 new" in summary and "members: 1 new" in summary
    assert "Hộ" not in summary and "thành viên" not in summary and " / " not in summary


def test_an_import_summary_is_vietnamese_only_in_vietnamese(
    client,
    data,  # noqa: F811
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    summary = _imported(client, settings, tmp_path, django_capture_on_commit_callbacks, "vi")
    assert "Hộ: 1 mới" in summary and "thành viên: 1 mới" in summary
    assert "households" not in summary.lower() and " / " not in summary


def test_a_stored_pair_shows_one_half():
    from django.utils import translation

    assert halves("Đã dừng / stopped") == ("Đã dừng", "stopped") and halves("plain") == ("plain", "plain")
    with translation.override("en"):
        assert one_language("Đã dừng / stopped") == "stopped"
    with translation.override("vi"):
        assert one_language("Đã dừng / stopped") == "Đã dừng"
