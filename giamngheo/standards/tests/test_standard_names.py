"""A standard is named from the catalogue only: never a path, never a file outside standards/data (#11.14)."""

from __future__ import annotations

import pytest

from giamngheo.standards import UnknownStandardError, available_standards, load_standard


@pytest.mark.parametrize(
    "name",
    [
        "../../../tmp/elsewhere",
        "../data/vn-2022-2025",
        "/etc/passwd",
        "x" * 300,
        "x" * 10_000,
        "",
        "vn-2022-2025.yaml",
    ],
)
def test_a_name_outside_the_catalogue_is_unknown(name):
    with pytest.raises(UnknownStandardError) as exc:
        load_standard(name)
    assert len(str(exc.value)) < 400  # the message does not echo 10,000 characters back


def test_a_yaml_elsewhere_on_disk_is_never_opened(tmp_path, monkeypatch):
    import giamngheo.standards.params as params

    elsewhere = tmp_path / "evil.yaml"
    elsewhere.write_text("not: a standard\n", encoding="utf-8")
    relative = "../" * 12 + str(elsewhere.with_suffix("")).lstrip("/")
    opened = []
    real_open = type(elsewhere).open
    monkeypatch.setattr(type(elsewhere), "open", lambda self, *a, **k: opened.append(self) or real_open(self, *a, **k))
    with pytest.raises(UnknownStandardError):
        params.load_standard(relative)
    assert opened == []


def test_every_catalogued_standard_loads():
    assert {load_standard(name).id for name in available_standards()} == set(available_standards())
