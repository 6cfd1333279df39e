"""Vietnamese text: accent folding for search and a sort key for names.

Both are computed in Python and stored, so that SQLite and PostgreSQL search and sort the same
way whatever their collation: the folded text is plain lowercase ASCII, and the sort key is a
string of digits, which every collation orders digit by digit.
"""

from __future__ import annotations

import re
import unicodedata

# The Vietnamese alphabet, with the Latin letters used in foreign names put where Latin puts them.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_CODE = {letter: f"{index + 20:02d}" for index, letter in enumerate(ALPHABET)}
_DIGIT_CODE = {str(d): f"{d + 10:02d}" for d in range(10)}
# Tones in dictionary order: none, huyền (grave), hỏi (hook), ngã (tilde), sắc (acute), nặng (dot).
_TONE_MARKS = {"\u0300": 2, "\u0309": 3, "\u0303": 4, "\u0301": 5, "\u0323": 6}
# Marks that make a letter of its own in Vietnamese (ă â ê ô ơ ư) rather than a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_SEPARATOR = "00"
_SPACES = re.compile(r"\s+")


def normalize_name(value: str) -> str:
    """Trim, collapse spaces and compose the characters (NFC) of a name as typed."""
    value = unicodedata.normalize("NFC", value or "")
    # The look-alike Icelandic eth (Ð, U+00D0) appears in pasted texts for Đ.
    value = value.replace("\u00d0", "Đ").replace("\u00f0", "đ")
    return _SPACES.sub(" ", value).strip()


def fold(value: str) -> str:
    """Lowercase, drop every diacritic and turn đ into d: "Nguyễn Văn Đức" -> "nguyen van duc"."""
    value = normalize_name(value).lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def _split_letter(ch: str) -> tuple[str, int]:
    """Return the base letter (keeping ă â ê ô ơ ư đ) and the tone number of one character."""
    decomposed = unicodedata.normalize("NFD", ch)
    tone = 1
    kept = []
    for part in decomposed:
        if part in _TONE_MARKS:
            tone = _TONE_MARKS[part]
        elif unicodedata.combining(part) and part not in _LETTER_MARKS:
            continue
        else:
            kept.append(part)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def _word_key(text: str) -> tuple[str, str]:
    letters: list[str] = []
    tones: list[str] = []
    for ch in normalize_name(text).lower():
        base, tone = _split_letter(ch)
        code = _LETTER_CODE.get(base) or _DIGIT_CODE.get(base)
        if code is None:
            if ch == " ":
                letters.append("01")
            continue
        letters.append(code)
        tones.append(f"{tone:02d}")
    return "".join(letters), "".join(tones)


def name_sort_key(surname: str, middle_name: str, given_name: str) -> str:
    """Sort key for a person's name: given name first, then surname and middle name.

    Letters compare in the Vietnamese alphabet; tones only break ties between names with the
    same letters (An < Án < Anh), as dictionaries do.
    """
    given_letters, given_tones = _word_key(given_name)
    rest_letters, rest_tones = _word_key(f"{surname} {middle_name}".strip())
    return _SEPARATOR.join([given_letters, given_tones, rest_letters, rest_tones])


def text_sort_key(text: str) -> str:
    """Sort key for any other text (organization names): Vietnamese alphabet, then tones."""
    letters, tones = _word_key(text)
    return letters + _SEPARATOR + tones


def search_terms(query: str) -> list[str]:
    """Split a search query into folded words; empty words are dropped."""
    return [term for term in fold(query).split(" ") if term]
