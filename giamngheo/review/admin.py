from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import RetentionPolicy, ReviewRound


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(SimpleHistoryAdmin):
    list_display = ("survey_data_days", "updated_at")


@admin.register(ReviewRound)
class ReviewRoundAdmin(SimpleHistoryAdmin):
    list_display = ("commune", "kind", "reference_date", "step", "decision_number")
    raw_id_fields = ("commune",)

    def has_change_permission(self, request, obj=None):
        return False  # rounds change through the review services only, which check each step
