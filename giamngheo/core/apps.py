from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "giamngheo.core"
    label = "core"
    verbose_name = "Lõi hệ thống"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers our system checks
