from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent

# the project's own titles ("Trang quản trị cho Django" was Django's)
admin.site.site_title = _("Quản trị giamngheo")
admin.site.site_header = _("Quản trị hệ thống giamngheo")
admin.site.index_title = _("Các bảng dữ liệu")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit records cannot be edited or deleted through the app."""

    list_display = ("at", "actor", "verb", "object_type", "object_id")
    list_filter = ("verb",)
    search_fields = ("object_id", "actor__username")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
