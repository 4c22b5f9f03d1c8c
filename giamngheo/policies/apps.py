from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "giamngheo.policies"
    label = "policies"
    verbose_name = _("Chính sách hỗ trợ")

    def policy_ids(self) -> list[str]:
        """The catalogue's ids, for the layers below that cannot import it (accounts validates an agency
        officer's assignment against them)."""
        from .catalogue import available_policies

        return available_policies()

    def ready(self) -> None:
        from .report_tables import register

        register()  # the policy reports join the report set (reports/ may not import policies/)
