from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "giamngheo.web"
    label = "web"
    verbose_name = "Ứng dụng web"
