"""The household page's explanation is cached under the facts the engine reads, never served stale."""

import datetime as dt

import pytest

from giamngheo.accounts.tests.factories import household, system_user
from giamngheo.registry import classify as classify_module
from giamngheo.registry.classify import explain_household
from giamngheo.registry.models import Household, Member

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 30)


@pytest.fixture
def runs(monkeypatch):
    """Count the engine runs behind explain_household."""
    calls = []
    real = classify_module.classify

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(classify_module, "classify", counting)
    return calls


def test_a_second_view_of_unchanged_facts_runs_no_engine(runs):
    near_poor = household(system_user(), "HC1", "03880", members=3, income_per_capita_month=1_500_000)
    first = explain_household(near_poor, when=DAY)
    again = explain_household(Household.objects.get(pk=near_poor.pk), when=DAY)
    assert again == first and len(runs) == 1
    assert explain_household(near_poor, when=DAY, lang="en").text != first.text  # the language is in the key
    assert len(runs) == 2


def test_facts_changed_without_a_new_version_give_a_new_explanation(runs):
    """Bulk loads write with update(): the household's version stays, the cached answer must not."""
    hh = household(system_user(), "HC2", "03880", members=3, income_per_capita_month=1_500_000)
    before = explain_household(hh, when=DAY)
    assert before.category == "near_poor"
    Household.objects.filter(pk=hh.pk).update(income_per_capita_month=2_500_000)
    assert Household.objects.get(pk=hh.pk).version == hh.version
    after = explain_household(Household.objects.get(pk=hh.pk), when=DAY)
    assert after.category == "other" and "2.500.000 đ" in after.text and len(runs) == 2
    Member.objects.filter(household=hh).update(has_health_insurance=False)  # a member's fact, same household row
    explain_household(hh, when=DAY)
    assert len(runs) == 3
