"""The admin site: the project's own titles, and its apps and tables in Vietnamese alphabetical order
(Django sorts by code point, which put "Đơn vị hành chính" after "Xác thực")."""

from django.contrib.admin import AdminSite
from django.utils.translation import gettext_lazy as _

from .text import vi_sort_key


class Site(AdminSite):
    site_title = _("Quản trị giamngheo")
    site_header = _("Quản trị hệ thống giamngheo")
    index_title = _("Các bảng dữ liệu")

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        for app in apps:
            app["models"].sort(key=lambda model: vi_sort_key(str(model["name"])))
        return sorted(apps, key=lambda app: vi_sort_key(str(app["name"])))
