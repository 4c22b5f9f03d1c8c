"""Vietnamese text for people: without its marks, for matching what they type (`fold`), and in the
alphabet's order, for lists of names they read (`vi_sort_key`)."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-cased, without diacritics, spaces collapsed: "Tòng Văn  Toàn" -> "tong van toan".

    "đ" is a letter of its own, not a marked "d", so Unicode does not decompose it: it is mapped by hand."""
    text = unicodedata.normalize("NFD", (text or "").lower().replace("đ", "d"))
    return " ".join("".join(ch for ch in text if unicodedata.category(ch) != "Mn").split())


# The Vietnamese alphabet (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y), with the Latin
# letters it lacks (f j w z, found in minority names and loanwords) at their Latin places.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}
_LETTER_MARKS = {  # marks that make another letter, not a tone
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
# Tones in the order schools teach them: ngang, huyền, sắc, hỏi, ngã, nặng. (CLDR's Vietnamese collation
# puts hỏi and ngã before sắc; the domain notes say nothing; change this one table to follow it.)
TONES = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}


_SEEN: dict[str, tuple[int, int, int, bool]] = {}


def _character(ch: str) -> tuple[int, int, int, bool]:
    """(class, rank, tone, is upper case) of one precomposed character; a lone mark is class -1."""
    found = _read(ch)
    if len(_SEEN) < 4_096:  # Vietnamese needs a few hundred; odd input must not grow it without bound
        _SEEN[ch] = found
    return found


def _read(ch: str) -> tuple[int, int, int, bool]:
    if unicodedata.category(ch) == "Mn":
        return -1, 0, TONES.get(ch, 0), False
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    letter, tone = base.lower(), 0
    for mark in marks:
        if (letter, mark) in _LETTER_MARKS:
            letter = _LETTER_MARKS[(letter, mark)]
        tone = TONES.get(mark, tone)
    upper = ch != ch.lower()
    if letter == " ":
        return 0, 0, 0, False
    if letter.isdecimal():
        return 2, int(letter), 0, False
    if letter in _RANK:
        return 3, _RANK[letter], tone, upper
    return (4 if letter.isalpha() else 1), ord(letter), tone, upper


def vi_sort_key(text: str) -> tuple:
    """A key that puts names in Vietnamese alphabetical order: "An" < "Ăn" < "Ân" < "Dơ" < "Đa" < "Em".

    Letters first, case-insensitively, in the Vietnamese alphabet (ă, â, đ, ê, ô, ơ, ư are letters of
    their own); then tones, letter by letter, in the order ngang, huyền, sắc, hỏi, ngã, nặng ("Ma" <
    "Mà" < "Má" < "Mả" < "Mã" < "Mạ"); then lower case before upper. Runs of digits count as numbers
    ("Thôn 2" < "Thôn 10"), spaces as one space, before punctuation, digits and letters."""
    primary: list[tuple[int, int]] = []
    tones: list[int] = []
    cases: list[bool] = []
    for ch in unicodedata.normalize("NFC", " ".join((text or "").split())):
        kind, rank, tone, upper = _SEEN.get(ch) or _character(ch)
        if kind == -1:  # a mark no precomposed letter holds: the tone of the letter before
            if tones and tone:
                tones[-1] = tone
            continue
        if kind == 2 and primary and primary[-1][0] == 2:  # the number goes on
            primary[-1] = (2, primary[-1][1] * 10 + rank)
            continue
        primary.append((kind, rank))
        tones.append(tone)
        cases.append(upper)
    return tuple(primary), tuple(tones), tuple(cases), text or ""
