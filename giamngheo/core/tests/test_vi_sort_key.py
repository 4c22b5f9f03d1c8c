"""Vietnamese alphabetical order (`core.text.vi_sort_key`): the letters of the Vietnamese alphabet, then
tones, then case; numbers as numbers."""

from __future__ import annotations

import unicodedata

from giamngheo.core.text import vi_sort_key


def in_order(*names: str) -> list[str]:
    return sorted(names, key=vi_sort_key)


def test_d_bar_is_a_letter_after_d_and_before_e():
    assert in_order("Em", "Đa", "Dơ", "Du") == ["Dơ", "Du", "Đa", "Em"]
    assert in_order("Đinh Văn An", "Điêu Thị Ba", "Dương Văn Cường", "Ê Ban") == [
        "Dương Văn Cường",
        "Điêu Thị Ba",
        "Đinh Văn An",
        "Ê Ban",
    ]


def test_a_breve_and_a_circumflex_are_letters_after_a():
    assert in_order("Ân", "Ăn", "An", "Anh", "Bản") == ["An", "Anh", "Ăn", "Ân", "Bản"]
    assert in_order("Ơn", "Ôn", "On", "Ưng", "Ung") == ["On", "Ôn", "Ơn", "Ung", "Ưng"]


def test_tones_come_after_the_letters_in_the_order_ngang_huyen_sac_hoi_nga_nang():
    assert in_order("Mạ", "Mã", "Mả", "Má", "Mà", "Ma") == ["Ma", "Mà", "Má", "Mả", "Mã", "Mạ"]
    assert in_order("Mai", "Mà") == ["Mà", "Mai"]  # letters first: a tone never outweighs a letter
    assert in_order("Lò Văn Ánh", "Lò Văn Anh") == ["Lò Văn Anh", "Lò Văn Ánh"]


def test_case_does_not_decide_the_letters_and_marks_may_come_decomposed():
    assert in_order("đa", "Dơ", "ĐA", "dư") == ["Dơ", "dư", "đa", "ĐA"]
    assert vi_sort_key(unicodedata.normalize("NFD", "Nguyễn Thị Ợ"))[:3] == vi_sort_key("Nguyễn Thị Ợ")[:3]


def test_numbers_count_as_numbers_and_spaces_as_one():
    assert in_order("Thôn 10", "Thôn 2", "Thôn 1", "Thôn Bản") == ["Thôn 1", "Thôn 2", "Thôn 10", "Thôn Bản"]
    assert vi_sort_key("Tòng  Văn Toàn ")[:3] == vi_sort_key("Tòng Văn Toàn")[:3]
    assert in_order("", "A") == ["", "A"]
