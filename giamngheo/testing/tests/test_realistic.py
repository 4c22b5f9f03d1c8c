"""The realistic commune really is realistic: 3,000 households, 8 villages, ids past 1,000."""

from giamngheo.registry.models import Household, Member
from giamngheo.testing.realistic import ID_BASE


def test_realistic_commune_has_real_size_and_high_ids(realistic_commune):
    households = Household.objects.filter(unit=realistic_commune.commune)
    assert households.count() == 3_000
    assert households.values("village_name").distinct().count() == 8
    assert (
        Member.objects.filter(household__unit=realistic_commune.commune, is_active=True).count()
        == realistic_commune.members.height
    )
    assert min(households.values_list("pk", flat=True)) > ID_BASE
    assert min(Member.objects.values_list("pk", flat=True)) > ID_BASE
