from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "giamngheo.exchange"
    label = "exchange"
    verbose_name = "Trao đổi dữ liệu"
