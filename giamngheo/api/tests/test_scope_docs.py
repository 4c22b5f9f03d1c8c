"""The API docs page says, for every endpoint, whose data it answers with (issue #14 item 6)."""

from __future__ import annotations

from giamngheo.api.api import api
from giamngheo.api.scopes import SCOPES


def _operations() -> dict[str, dict]:
    schema = api.get_openapi_schema(path_prefix="")
    return {path: op for path, methods in schema["paths"].items() for op in methods.values()}


def test_every_endpoint_states_its_scope_rule_and_no_rule_is_left_over():
    operations = _operations()
    assert len(operations) >= 12
    unstated = [path for path, op in operations.items() if not op.get("description", "").startswith("Phạm vi / scope:")]
    assert unstated == []
    assert set(SCOPES) == set(operations)  # a removed or renamed route takes its sentence with it


def test_report_endpoints_say_a_larger_unit_gets_no_numbers():
    operations = _operations()
    for path in ("/reports/summary", "/reports/deprivations", "/reports/table/{name}", "/reports/whatif"):
        assert "never the visible part" in operations[path]["description"]
