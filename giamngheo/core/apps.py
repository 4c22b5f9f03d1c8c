from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "giamngheo.core"
    label = "core"
    verbose_name = "Lõi hệ thống"
