"""Poverty standards as dated rules and the vectorised engine that applies them.

Pure Python on Polars: nothing here imports Django, so the same code classifies a commune in
the web app and a nation in a batch job.
"""

from .engine import classify
from .params import (
    Standard,
    UnknownStandardError,
    available_standards,
    load_standard,
    resolve_standard,
    standard_in_force,
)
from .problems import InputError, Problem

__all__ = [
    "InputError",
    "Problem",
    "Standard",
    "UnknownStandardError",
    "available_standards",
    "classify",
    "load_standard",
    "resolve_standard",
    "standard_in_force",
]
