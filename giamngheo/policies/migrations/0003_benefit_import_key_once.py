"""One row per import key (a delivery list's row, a form's submission): the database refuses the second of
two concurrent imports of one list, or of one form sent twice. Rows already written twice by such a race
(on PostgreSQL before this constraint) keep their later copies under "<key>#dup<pk>": nothing is deleted
from the append-only ledger, the copies stay visible and standing, to be reversed by the commune."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Count


def _set_apart_duplicates(apps, schema_editor):
    Benefit = apps.get_model("policies", "Benefit")
    doubled = (
        Benefit.objects.exclude(import_key="")
        .values("import_key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("import_key", flat=True)
    )
    for key in list(doubled):
        for pk in Benefit.objects.filter(import_key=key).order_by("pk").values_list("pk", flat=True)[1:]:
            Benefit.objects.filter(pk=pk).update(import_key=f"{key}#dup{pk}"[:255])


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0002_province_norms"),
        ("registry", "0005_field_names_vi"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(_set_apart_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="benefit",
            constraint=models.UniqueConstraint(
                condition=models.Q(("import_key", ""), _negated=True),
                fields=("import_key",),
                name="benefit_import_key_once",
            ),
        ),
    ]
