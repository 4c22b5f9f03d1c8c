from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "giamngheo.registry"
    label = "registry"
    verbose_name = "Sổ hộ gia đình"
