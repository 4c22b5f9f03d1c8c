"""Creating villages: a commune's own places, written by its officials (hence here, above access)."""

from __future__ import annotations

from django.db import transaction

from ...accounts.access import require_unit_write
from ...core.audit import audit
from ...core.errors import ServiceError
from ...geo.models import AdminUnit, UnitLevel, Village


@transaction.atomic
def village_create(*, actor, commune: AdminUnit, name: str, kind: str = Village.Kind.VILLAGE) -> Village:
    require_unit_write(actor, commune)
    name = name.strip()
    if commune.level != UnitLevel.COMMUNE:
        raise ServiceError("Thôn phải thuộc một xã/phường", "a village belongs to a commune-level unit")
    if not name:
        raise ServiceError("Tên thôn không được để trống", "the village name is empty", field="name")
    if kind not in Village.Kind.values:
        raise ServiceError(f"Loại không hợp lệ: {kind}", f"unknown kind: {kind}", field="kind")
    if Village.objects.filter(commune=commune, name=name).exists():
        raise ServiceError(
            f"Đã có thôn '{name}' trong xã này", f"'{name}' already exists in this commune", field="name"
        )
    village = Village(commune=commune, name=name, kind=kind, created_by=actor)
    village._history_user = actor
    village.save()
    audit(actor, "village.create", village, commune=commune.code, name=village.name)
    return village
