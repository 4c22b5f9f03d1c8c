"""The generated XLSForm converts with pyxform and asks what the contract and the standard need."""

import pytest

from giamngheo.cli.main import main

pyxform = pytest.importorskip("pyxform")


@pytest.mark.parametrize("standard", ["vn-2022-2025", "vn-2027-2030"])
def test_form_b_converts_with_pyxform(tmp_path, standard):
    from pyxform.xls2xform import convert

    path = tmp_path / "phieu_b.xlsx"
    assert main(["survey-form", "--output", str(path), "--standard", standard]) == 0
    xform = convert(xlsform=str(path), validate=False).xform
    for field in ("household_id", "water_source", "floor_area_m2", "members", "birth_date", "national_id", "gps"):
        assert f"/{field}" in xform
    assert "Phiếu B" in xform and "chưa kiểm chứng" in xform  # indicator notes mark unverified thresholds
    if standard == "vn-2027-2030":
        assert "Xử lý rác thải sinh hoạt" in xform
