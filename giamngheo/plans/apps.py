from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "giamngheo.plans"
    label = "plans"
    verbose_name = "Kế hoạch thoát nghèo"
