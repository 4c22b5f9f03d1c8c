"""A first load into empty tables: indexes built after the rows are all there, a failed one leaves
nothing (rows or dropped indexes), and the connection's settings come back as they were."""

import pytest
from django.db import connection

from giamngheo.accounts.tests.factories import system_user
from giamngheo.core.bulk_indexes import secondary_indexes
from giamngheo.registry import bulk
from giamngheo.registry.bulk import BULK_TABLES, load_frames
from giamngheo.registry.models import Household, Member
from giamngheo.synth.population import synthesize

pytestmark = pytest.mark.django_db


def _indexes() -> dict[str, list[tuple[str, str]]]:
    return {table: secondary_indexes(table) for table in BULK_TABLES}


def test_a_first_load_leaves_every_index_of_the_empty_tables_in_place():
    before = _indexes()
    assert all(before.values())  # each table has secondary indexes to drop and build again
    hh, mem = synthesize("14", 40, seed=3)
    result = load_frames(hh, mem, actor=system_user())
    assert sorted(result.indexes_built_after) == sorted(BULK_TABLES)
    assert _indexes() == before
    second = load_frames(hh, mem, actor=system_user())
    assert second.indexes_built_after == []  # tables no longer empty: indexes kept during the load


def test_a_first_load_that_fails_after_writing_leaves_no_row_and_every_index(monkeypatch):
    before = _indexes()
    hh, mem = synthesize("14", 40, seed=3)
    original = bulk._upsert_members

    def fails_after_writing(*args, **kwargs):
        original(*args, **kwargs)
        assert Member.objects.exists()  # the rows were written, inside the load's transaction
        raise RuntimeError("disk full")

    monkeypatch.setattr(bulk, "_upsert_members", fails_after_writing)
    with pytest.raises(RuntimeError, match="disk full"):
        load_frames(hh, mem, actor=system_user())
    assert not Household.objects.exists() and not Member.objects.exists()
    assert not Household.history.exists() and not Member.history.exists()
    assert _indexes() == before


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's page cache")
def test_the_load_gives_the_connection_its_page_cache_back():
    """A web worker's connection outlives the load: its 256 MB cache must not stay with it. Failed
    before: the load set cache_size and never put it back."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
    hh, mem = synthesize("14", 5, seed=3)
    load_frames(hh, mem, actor=system_user())
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == before


@pytest.mark.django_db(transaction=True)
def test_a_load_that_adds_households_leaves_the_planner_statistics(units_again):
    """SQLite keeps none until asked: without them the home page's commune list walked every commune
    by its level index (14 ms a request at 400,000 households, 1.4 ms with them)."""
    hh, mem = synthesize("14", 5, seed=3)
    load_frames(hh, mem, actor=system_user())
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
            analysed = {row[0] for row in cursor.fetchall()}
            assert {"registry_household", "registry_member", "geo_adminunit"} <= analysed
        else:
            cursor.execute(
                "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL AND relname LIKE 'registry_%'"
            )
            assert {"registry_household", "registry_member"} <= {row[0] for row in cursor.fetchall()}
