"""Every chart builder's spec is valid Vega-Lite: the pages skip validation, so it is checked here."""

import pytest
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema.core import load_schema

from giamngheo.reports import charts


@pytest.mark.parametrize(
    "spec",
    [
        charts.bars([{"name": "Nhà ở", "rate": 12.5}], "name", "rate", "Tỷ lệ thiếu hụt", "% số hộ"),
        charts.stacked_rates([{"name": "Xã Chiềng Sơn", "group": "Hộ nghèo", "rate": 8.1}], "Tỷ lệ"),
        charts.trend([{"date": "2026-06-30", "group": "Hộ nghèo", "households": 120}], "Số hộ"),
        charts.dots_map([{"name": "Xã A", "lon": 104.6, "lat": 20.8, "poor": 30, "poor_rate": 4.2}], "Bản đồ"),
    ],
    ids=["bars", "stacked_rates", "trend", "dots_map"],
)
def test_the_spec_is_valid_vega_lite(spec):
    validate_jsonschema({**spec, "$schema": "https://vega.github.io/schema/vega-lite/v6.json"}, load_schema())


def test_an_invalid_spec_is_caught():
    """The check above can fail: a mark that Vega-Lite does not know is refused."""
    spec = charts.bars([{"name": "a", "rate": 1}], "name", "rate", "t", "v")
    with pytest.raises(Exception, match="no_such_mark|is not valid|is not one of"):
        validate_jsonschema({**spec, "mark": {"type": "no_such_mark"}}, load_schema())


BUILT = {
    "bars": lambda: charts.bars(
        [{"name": "Nhà ở", "rate": 12.5}], "name", "rate", "t", charts.pick("% số hộ", "% of households")
    ),
    "stacked_rates": lambda: charts.stacked_rates([{"name": "Xã A", "group": "Hộ nghèo", "rate": 8.1}], "t"),
    "trend": lambda: charts.trend([{"date": "2026-06-30", "group": "Hộ nghèo", "households": 120}], "t"),
    "dots_map": lambda: charts.dots_map(
        [{"name": "Xã A", "lon": 104.6, "lat": 20.8, "poor": 3, "poor_rate": 4.2}], "t"
    ),
}


@pytest.mark.parametrize("name", list(BUILT))
def test_every_tooltip_is_titled_in_the_readers_language(name):
    """A tooltip without a title shows its field's name ("rate", "group"): English on a Vietnamese page."""
    from django.utils import translation

    for language, other in (("vi", ("Name", "Category", "Households", "Rate %")), ("en", ("Tên", "Loại hộ", "Số hộ"))):
        with translation.override(language):
            tips = BUILT[name]()["encoding"]["tooltip"]
        titles = [t.get("title") for t in tips]
        assert all(titles) and not set(titles) & set(other), (language, titles)
