from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import RoleAssignment, User


class AssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ("unit",)


@admin.register(User)
class GiamngheoUserAdmin(UserAdmin, SimpleHistoryAdmin):
    inlines = [AssignmentInline]
