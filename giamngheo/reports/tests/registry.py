"""A synthetic part of Sơn La with the demo's recorded decisions, for the report tests."""

from __future__ import annotations

from giamngheo.accounts.tests.factories import system_user
from giamngheo.cli.demo import record_demo_history
from giamngheo.registry.bulk import load_frames
from giamngheo.synth.population import synthesize


def synthetic_registry(households: int, seed: int, decisions: bool = True):
    """Load `households` synthetic households; with `decisions`, the demo's 2025 and June 2026 decisions."""
    admin = system_user()
    hh, members = synthesize("14", households, seed=seed)
    load_frames(hh, members, actor=admin)
    if decisions:
        record_demo_history(hh, members, admin, seed=seed)
    return hh, members
