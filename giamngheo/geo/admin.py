from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AdminUnit, Village


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "unit_type", "province_code", "valid_from", "valid_to")
    list_filter = ("level", "unit_type")
    search_fields = ("code", "name")


@admin.register(Village)
class VillageAdmin(SimpleHistoryAdmin):
    list_display = ("name", "commune", "kind")
    search_fields = ("name",)
    raw_id_fields = ("commune",)
