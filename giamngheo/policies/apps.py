from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "giamngheo.policies"
    label = "policies"
    verbose_name = "Chính sách hỗ trợ"

    def ready(self) -> None:
        from .report_tables import register

        register()  # the policy reports join the report set (reports/ may not import policies/)
