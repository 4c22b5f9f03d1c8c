"""The household summary rows (registry 0004) built for a register that already has households."""

from django.db import migrations


def rebuild(apps, schema_editor):
    """A fresh database has nothing to build; an existing one gets every row, statuses included."""
    if apps.get_model("registry", "Household").objects.exists():
        from giamngheo.review.statuses import summary_rebuild

        summary_rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0007_status_source"),
        ("registry", "0004_household_summary"),
        ("classification", "0002_verbose_names_vi"),
    ]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
