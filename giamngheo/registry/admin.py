from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Household, Member
from .summary import summary_refresh


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    fields = ("member_id", "full_name", "national_id", "birth_date", "relation_to_head", "is_active")


@admin.register(Household)
class HouseholdAdmin(SimpleHistoryAdmin):
    list_display = ("household_id", "unit", "village_name", "income_per_capita_month", "is_active")
    search_fields = ("household_id",)
    raw_id_fields = ("unit", "village")
    inlines = [MemberInline]

    def save_related(self, request, form, formsets, change):
        """An edit here bypasses the services: its summary row is refreshed all the same."""
        super().save_related(request, form, formsets, change)
        summary_refresh([form.instance.pk])


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    list_display = ("member_id", "full_name", "household", "birth_date", "is_active")
    search_fields = ("member_id", "full_name", "national_id")
    raw_id_fields = ("household",)

    def save_model(self, request, obj, form, change):
        """Both households' summary rows when the member moved (the admin's edit bypasses the services)."""
        before = Member.objects.filter(pk=obj.pk).values_list("household_id", flat=True).first() if obj.pk else None
        super().save_model(request, obj, form, change)
        summary_refresh({obj.household_id, before} - {None})
