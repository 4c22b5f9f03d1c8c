from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "giamngheo.core"
    label = "core"
    verbose_name = _("Lõi hệ thống")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers our system checks
