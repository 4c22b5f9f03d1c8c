from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from giamngheo.core import clock

from ..core.errors import ServiceError
from .models import ApiToken, AuthenticatorApp, RecoveryCodes, RoleAssignment, User
from .services import token_revoke


class AssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ("unit",)


@admin.register(User)
class GiamngheoUserAdmin(UserAdmin, SimpleHistoryAdmin):
    inlines = [AssignmentInline]
    list_display = ("username", "first_name", "last_name", "roles_and_units", "is_active", "is_staff")

    def get_queryset(self, request):
        """Today's assignments with their units in one more query, not one per listed user."""
        today = clock.today()
        current = RoleAssignment.objects.filter(valid_from__lte=today).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=today)
        )
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("assignments", queryset=current.select_related("unit"), to_attr="current_assignments")
            )
        )

    @admin.display(description=_("Vai trò và đơn vị"))
    def roles_and_units(self, user: User) -> str:
        """Who the user is in the system today: each role with its unit (nationwide when none)."""
        return "; ".join(
            f"{a.get_role_display()} — {a.unit.name if a.unit else _('toàn quốc')}"
            for a in getattr(user, "current_assignments", [])
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Listed and revoked here; made with `giamngheo token USERNAME` (the key is shown once, there)."""

    list_display = ("prefix", "user", "created_at", "expires_at", "last_used_at", "revoked_at", "state")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "user__username")
    readonly_fields = ("user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    exclude = ("key_hash",)
    actions = ["revoke"]

    @admin.display(description=_("Trạng thái"))
    def state(self, token: ApiToken) -> str:
        """In the reader's language only (one language per screen)."""
        return str(
            {"active": _("còn hiệu lực"), "expired": _("hết hạn"), "revoked": _("đã thu hồi")}[token.state(clock.now())]
        )

    @admin.action(description=_("Thu hồi các mã đã chọn"))
    def revoke(self, request, queryset):
        done = 0
        for token in queryset:
            try:
                token_revoke(actor=request.user, token=token)
                done += 1
            except ServiceError as exc:
                self.message_user(request, str(exc), messages.WARNING)
        if done:
            self.message_user(request, _("Đã thu hồi %(count)s mã truy cập") % {"count": done}, messages.SUCCESS)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a revoked token stays listed: who could act as whom, and until when


def _unregister_otp_admins() -> None:
    """django-otp's own admins: English names, and the TOTP one shows a device's secret and QR code
    to any administrator; ours below list and delete only (issuing is `giamngheo users issue-2fa`)."""
    from django.contrib.admin.exceptions import NotRegistered
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        try:
            admin.site.unregister(model)
        except NotRegistered:
            continue


_unregister_otp_admins()


class DeviceAdmin(admin.ModelAdmin):
    """A user's second factor: who, whether confirmed, when last used; deleting one is a reset."""

    list_display = ("user", "name", "confirmed")
    list_filter = ("confirmed",)
    search_fields = ("user__username",)
    fields = ("user", "name", "confirmed")
    readonly_fields = ("user", "name", "confirmed")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


admin.site.register(AuthenticatorApp, DeviceAdmin)
admin.site.register(RecoveryCodes, DeviceAdmin)
