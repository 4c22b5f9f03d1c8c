from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Household, Member


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


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    list_display = ("member_id", "full_name", "household", "birth_date", "is_active")
    search_fields = ("member_id", "full_name", "national_id")
    raw_id_fields = ("household",)
