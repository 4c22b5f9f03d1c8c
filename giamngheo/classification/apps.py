from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassificationConfig(AppConfig):
    name = "giamngheo.classification"
    label = "classification"
    verbose_name = _("Kết quả phân loại")

    def ready(self):
        from . import checks  # noqa: F401 - registers the standards' system check
