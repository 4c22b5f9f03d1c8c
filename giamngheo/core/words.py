"""Words for people in the active language: one screen, one language (Vietnamese unless the user chose
English, see docs/adr/0008-default-language.md).

Interface text written in templates and views goes through gettext (Vietnamese msgid, English in
giamngheo/locale/en/LC_MESSAGES/django.po). Labels that already come in pairs (the contract's
CATEGORY_LABELS, the statuses, review steps, round kinds, report titles and notes) go through `pick`,
the one place that decides which half a reader sees.
"""

from __future__ import annotations

from django.utils.functional import lazy
from django.utils.translation import get_language


def language() -> str:
    """'en' when English is active, else 'vi' (also outside a request: the command line, jobs)."""
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def pick(vi: str, en: str) -> str:
    """The half of a (Vietnamese, English) pair for the active language; Vietnamese when no English."""
    return en if en and language() == "en" else vi


# For labels fixed at import time (model choices): chosen when shown, not when the module loads.
pick_lazy = lazy(pick, str)


class Said(str):
    """A Vietnamese text that carries its English (`.en`): files, papers and tests read it as the
    Vietnamese str it is; a page shows `in_language(text)`. For report titles, notes and row labels,
    which are made once and shown in either language."""

    en: str

    def __new__(cls, vi: str, en: str = "") -> Said:
        said = super().__new__(cls, vi)
        said.en = en
        return said


def in_language(text: object) -> str:
    """`text` as the reader's language shows it: the English of a `Said` in English, else the text."""
    return pick(str(text), getattr(text, "en", "")) if text is not None else ""


def halves(text: str) -> tuple[str, str]:
    """(Vietnamese, English) of a message stored as "vi / en" (a background job's summary or error,
    written where no reader's language is known); a text without " / " is its own two halves."""
    vi, sep, en = (text or "").partition(" / ")
    return (vi, en) if sep else (vi, vi)


def one_language(text: object) -> str:
    """A stored "vi / en" message as the reader's language shows it (`halves`)."""
    return pick(*halves(str(text or "")))
