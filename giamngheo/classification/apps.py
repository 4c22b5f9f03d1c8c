from django.apps import AppConfig


class ClassificationConfig(AppConfig):
    name = "giamngheo.classification"
    label = "classification"
    verbose_name = "Kết quả phân loại"

    def ready(self):
        from . import checks  # noqa: F401 - registers the standards' system check
