from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "giamngheo.accounts"
    label = "accounts"
    verbose_name = "Người dùng và phân quyền"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the login audit receivers
