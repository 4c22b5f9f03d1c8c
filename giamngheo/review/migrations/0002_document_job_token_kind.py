"""Document jobs get a random token for their URLs, a kind, and at most one unfinished job per
round and kind. Existing rows get their own token (a unique column cannot share one default)."""

from django.db import migrations, models

import giamngheo.review.models


def fill_tokens(apps, schema_editor):
    DocumentJob = apps.get_model("review", "DocumentJob")
    for job in DocumentJob.objects.filter(token__isnull=True):
        job.token = giamngheo.review.models.new_job_token()
        job.save(update_fields=["token"])
    # older unfinished jobs of one round would break the new constraint: keep the newest
    seen = set()
    for job in DocumentJob.objects.filter(state__in=["queued", "running"]).order_by("-pk"):
        if job.review_round_id in seen:
            job.state, job.error = "failed", "Thay bằng một lần tạo mới hơn / replaced by a newer job"
            job.save(update_fields=["state", "error"])
        seen.add(job.review_round_id)


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial")]

    operations = [
        migrations.AddField(
            "documentjob",
            "kind",
            models.CharField(
                choices=[("papers", "Biên bản, danh sách niêm yết, giấy chứng nhận")], default="papers", max_length=16
            ),
        ),
        migrations.AddField("documentjob", "token", models.CharField(editable=False, max_length=40, null=True)),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            "documentjob",
            "token",
            models.CharField(default=giamngheo.review.models.new_job_token, editable=False, max_length=40, unique=True),
        ),
        migrations.AddConstraint(
            "documentjob",
            models.UniqueConstraint(
                condition=models.Q(("state__in", ["queued", "running"])),
                fields=("review_round", "kind"),
                name="one_unfinished_document_job_per_round_and_kind",
            ),
        ),
    ]
