from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "giamngheo.accounts"
    label = "accounts"
    verbose_name = _("Người dùng và phân quyền")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the login audit receivers
