"""One stored result per classification run of a household: reproducible and explainable later."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..core.words import pick_lazy
from ..standards.contract import CATEGORY_LABELS


class Category(models.TextChoices):
    """The engine's categories with the labels of the contract's one table, in the reader's language."""

    POOR = "poor", pick_lazy(*CATEGORY_LABELS["poor"])
    NEAR_POOR = "near_poor", pick_lazy(*CATEGORY_LABELS["near_poor"])
    AVERAGE = "average", pick_lazy(*CATEGORY_LABELS["average"])
    OTHER = "other", pick_lazy(*CATEGORY_LABELS["other"])


class Classification(models.Model):
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="classifications")
    standard_id = models.CharField(max_length=32)
    standard_version = models.PositiveIntegerField()
    as_of = models.DateField()
    category = models.CharField(max_length=12, choices=Category.choices)
    income_line = models.BigIntegerField()
    deprivation_count = models.PositiveSmallIntegerField()
    deprived = models.JSONField(default=dict)  # indicator id -> 0/1, and members_<id> -> member ids
    facts = models.JSONField(default=dict)  # the household and member facts the engine read
    explanation = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["household", "as_of"])]
        ordering = ["-created_at"]
        verbose_name = _("kết quả phân loại")
        verbose_name_plural = pgettext_lazy("số nhiều", "kết quả phân loại")

    def __str__(self) -> str:
        return f"{self.household_id} {self.standard_id} {self.category}"
