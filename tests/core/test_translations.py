"""The Vietnamese catalog: complete, compiled, in step with the source; English is one switch away.

Msgids are English and the interface speaks Vietnamese first (STYLE.md, "Language"), so a msgid
without a Vietnamese translation shows English to a Vietnamese user: these tests catch that.
"""

from __future__ import annotations

import ast
import gettext
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

import dangbo

PACKAGE = Path(dangbo.__file__).resolve().parent
CATALOG = PACKAGE / "locale" / "vi" / "LC_MESSAGES"


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        """The key of the entry in a compiled catalog (context, EOT, msgid)."""
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


def parse_po(path: Path) -> list[Entry]:
    """The live entries of a .po file (obsolete ``#~`` entries are left out), header included."""
    entries: list[Entry] = []
    entry, target = Entry(), None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        starts_next = line.startswith(("#", "msgctxt ", "msgid "))
        if target is not None and (not line or (target[0] == "msgstr" and starts_next)):
            entries.append(entry)  # The entry ends (a blank line is usual, not required).
            entry, target = Entry(), None
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif not line or line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(entry, target, ast.literal_eval(line))
        else:
            keyword, value = line.split(" ", 1)
            if keyword.startswith("msgstr"):
                target = ("msgstr", int(keyword[7:-1]) if "[" in keyword else 0)
                entry.msgstr[target[1]] = ""
            else:
                target = (keyword, 0)
                setattr(entry, keyword, "")
            _append(entry, target, ast.literal_eval(value))
    return entries


def _append(entry: Entry, target: tuple[str, int] | None, text: str) -> None:
    assert target is not None, "a string outside any msgid/msgstr"
    if target[0] == "msgstr":
        entry.msgstr[target[1]] += text
    else:
        setattr(entry, target[0], getattr(entry, target[0]) + text)


def messages(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.msgid]


@pytest.fixture(scope="module")
def catalog() -> list[Entry]:
    return parse_po(CATALOG / "django.po")


def test_every_message_has_a_vietnamese_translation_and_none_is_fuzzy(catalog):
    untranslated = [e.key for e in messages(catalog) if not all(e.msgstr.values())]
    fuzzy = [e.key or "(header)" for e in catalog if "fuzzy" in e.flags]

    assert len(messages(catalog)) > 300
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalog_matches_the_po_file(catalog):
    with open(CATALOG / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    stale = [
        e.key
        for e in messages(catalog)
        if e.msgid_plural is None and compiled.gettext(e.key) != e.msgstr[0]
    ]

    assert compiled.info().get("language") == "vi"
    assert stale == [], "django.mo is out of date: run compilemessages and commit the .mo"


@pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("xgettext", "msguniq", "msgmerge")),
    reason="GNU gettext tools (xgettext, msguniq, msgmerge) are not installed",
)
def test_every_message_in_the_source_is_in_the_catalog(catalog, tmp_path, settings, monkeypatch):
    # given a copy of the package, whose catalog makemessages brings up to date with the source
    copy = tmp_path / "dangbo"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)

    # when
    call_command("makemessages", locale=["vi"], verbosity=0)

    # then nothing is new, fuzzy (a msgid changed) or gone from the source
    fresh = parse_po(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po")
    new = [e.key for e in messages(fresh) if not all(e.msgstr.values())]
    fuzzy = [e.key for e in messages(fresh) if "fuzzy" in e.flags]
    gone = sorted({e.key for e in messages(catalog)} - {e.key for e in messages(fresh)})
    hint = "run makemessages -l vi in src/dangbo, translate, then compilemessages"
    assert new == [], hint
    assert fuzzy == [], hint
    assert gone == [], hint


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [("vi", "Đăng nhập", "Log in"), ("en", "Log in", "Đăng nhập")],
)
def test_the_login_page_speaks_the_chosen_language(client, language, shown, not_shown):
    # given a language chosen by cookie, then by the browser's Accept-Language
    with translation.override(settings.LANGUAGE_CODE):  # the middleware's choice stays here
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        by_cookie = client.get("/login/").content.decode()
        del client.cookies[settings.LANGUAGE_COOKIE_NAME]
        by_header = client.get("/login/", headers={"accept-language": language}).content.decode()

    # then
    for page in (by_cookie, by_header):
        assert f"<h1>{shown}</h1>" in page
        assert not_shown not in page


def test_vietnamese_is_the_default_language(client):
    with translation.override(settings.LANGUAGE_CODE):
        page = client.get("/login/").content.decode()

    assert '<html lang="vi">' in page
    assert "<h1>Đăng nhập</h1>" in page
