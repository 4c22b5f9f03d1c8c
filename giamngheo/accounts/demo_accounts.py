"""The accounts `giamngheo demo` creates, one per role: named here so the two-factor rule can tell
them apart (GIAMNGHEO_DEMO lets these, and only these, skip the second step; docs/adr/0010)."""

from __future__ import annotations

DEMO_PASSWORD = "giamngheo-demo"  # demo accounts only; never used outside `giamngheo demo`
DEMO_USERS = (
    ("ra_soat_vien", "reviewer", "commune"),
    ("truong_thon", "village_head", "commune"),
    ("can_bo_xa", "commune_official", "commune"),
    ("chu_tich_xa", "commune_chair", "commune"),
    ("can_bo_tinh", "province_official", "province"),
    ("trung_uong", "national_viewer", None),
    ("quan_tri", "admin", None),
)
DEMO_USERNAMES = frozenset(username for username, _, _ in DEMO_USERS)
