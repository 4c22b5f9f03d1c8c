from django.apps import AppConfig


class ClassificationConfig(AppConfig):
    name = "giamngheo.classification"
    label = "classification"
    verbose_name = "Kết quả phân loại"
