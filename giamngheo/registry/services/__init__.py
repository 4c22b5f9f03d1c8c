"""Writes to the registry: each a keyword-only function taking the acting user, atomic, audited."""

from .households import household_merge, household_register, household_split, household_update
from .leaving import member_leave
from .members import member_add, member_move, member_update
from .villages import village_create

__all__ = [
    "household_merge",
    "household_register",
    "household_split",
    "household_update",
    "member_add",
    "member_leave",
    "member_move",
    "member_update",
    "village_create",
]
