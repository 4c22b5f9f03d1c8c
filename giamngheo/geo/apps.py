from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "giamngheo.geo"
    label = "geo"
    verbose_name = _("Đơn vị hành chính")

    def ready(self) -> None:
        """A unit or succession edited in place (the admin) leaves the counts alone: forget the cached
        commune sets of `selectors.communes_with_history` in this process."""
        from django.db.models.signals import post_delete, post_save

        from .models import AdminUnit, UnitSuccession
        from .selectors import forget_unit_sets

        for model in (AdminUnit, UnitSuccession):
            post_save.connect(forget_unit_sets, sender=model, dispatch_uid=f"forget-{model.__name__}-save")
            post_delete.connect(forget_unit_sets, sender=model, dispatch_uid=f"forget-{model.__name__}-delete")
