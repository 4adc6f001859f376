"""Languages: the Spanish catalogue is complete and compiled, pages follow the member's
language, the header's switcher works for visitors, dates and numbers are localised."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

import parecon.web

WEB = Path(parecon.web.__file__).parent
PO = WEB / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _unquote(line: str) -> str:
    return str(ast.literal_eval(line.strip()))


def parse_po(path: Path) -> list[dict[str, Any]]:
    """The catalogue's entries: msgid, msgid_plural, msgstr(s), flags, line number."""
    entries: list[dict[str, Any]] = []
    entry: dict[str, Any] = {}
    key = ""
    for number, raw in enumerate([*path.read_text(encoding="utf-8").splitlines(), ""], 1):
        line = raw.strip()
        if not line:
            if "msgid" in entry:
                entries.append(entry)
            entry, key = {}, ""
            continue
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += _unquote(line)
        else:
            key, _sep, rest = line.partition(" ")
            entry.setdefault("line", number)
            entry[key] = _unquote(rest)
    return entries


def test_spanish_catalogue_has_no_untranslated_or_fuzzy_entry() -> None:
    entries = parse_po(PO)
    assert len(entries) > 250
    header = entries[0]
    assert header["msgid"] == "" and "fuzzy" not in header.get("flags", set())
    problems = []
    for e in entries[1:]:
        if e.get("obsolete"):
            problems.append(f"{PO.name}:{e['line']}: obsolete entry {e['msgid']!r}")
        if "fuzzy" in e.get("flags", set()):
            problems.append(f"{PO.name}:{e['line']}: fuzzy {e['msgid']!r}")
        strs = [v for k, v in e.items() if k.startswith("msgstr")]
        if not strs or not all(strs):
            problems.append(f"{PO.name}:{e['line']}: untranslated {e['msgid']!r}")
        for s in strs:
            if sorted(re.findall(r"%\(\w+\)", s)) != sorted(
                set(re.findall(r"%\(\w+\)", e["msgid"]))
                | set(re.findall(r"%\(\w+\)", e.get("msgid_plural", "")))
            ) and not e.get("msgid_plural"):
                problems.append(f"{PO.name}:{e['line']}: placeholders differ in {e['msgid']!r}")
    assert not problems, "\n".join(problems)


def test_compiled_catalogue_matches_the_po() -> None:
    """The committed .mo (CI needs no gettext) holds every entry of the .po."""
    with MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = [
        f"{PO.name}:{e['line']}: {e['msgid']!r}"
        for e in parse_po(PO)[1:]
        if not e.get("msgid_plural")
        and (
            compiled.pgettext(e["msgctxt"], e["msgid"])
            if "msgctxt" in e
            else compiled.gettext(e["msgid"])
        )
        != e["msgstr"]
    ]
    assert not stale, "compile the catalogue again (manage.py compilemessages):\n" + "\n".join(
        stale
    )


_TEMPLATE_STRING = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])(.+?)\1""")
_PYTHON_STRING = re.compile(r"""(?<![\w.])_\(\s*(["'])((?:(?!\1).)+)\1\s*\)""")


def test_every_marked_string_is_in_the_catalogue() -> None:
    """A string marked in a template or in Python but missing from the .po (run makemessages)."""
    known = {e["msgid"] for e in parse_po(PO)}
    missing = []
    for path in sorted(WEB.rglob("*")):
        if path.suffix not in (".html", ".txt", ".py") or "migrations" in path.parts:
            continue
        pattern = _PYTHON_STRING if path.suffix == ".py" else _TEMPLATE_STRING
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in pattern.finditer(line):
                text = (
                    match.group(2).encode().decode("unicode_escape")
                    if "\\" in match.group(2)
                    else match.group(2)
                )
                if text not in known:
                    missing.append(f"{path.relative_to(WEB)}:{number}: {text!r}")
    assert not missing, "\n".join(missing)


@pytest.mark.django_db
def test_a_page_renders_in_spanish_for_a_member_whose_language_is_es(
    chapter: Any, make_member: Any, login: Any
) -> None:
    member = make_member("Elena", language="es")
    page = login(member).get(reverse("chapters:detail", args=[chapter.slug])).content.decode()
    assert '<html lang="es">' in page
    assert "Directorio de miembros" in page and "Registro público" in page and "Hilos" in page
    assert "Member directory" not in page
    # Dates in Spanish: "until 1 de marzo de 2027" style, not "March 1, 2027".
    assert re.search(r"hasta el \d{1,2} de [a-z]+ de \d{4}", page), page
    # The browser's language does not override the member's choice.
    english = login(member).get(reverse("site:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Mis capítulos" in english


@pytest.mark.django_db
def test_numbers_are_localised_in_messages(chapter: Any, make_member: Any) -> None:
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from parecon.web.discussion.services import start_thread

    member = make_member()
    with translation.override("es"), pytest.raises(ValidationError) as caught:
        start_thread(member, chapter, title="t", body="x" * 12_345)
    # Spanish groups thousands with a no-break space (the RAE's rule, in Django's formats).
    message = caught.value.message_dict["body"][0]
    assert (
        "como máximo 10\N{NO-BREAK SPACE}000 caracteres; aquí hay 12\N{NO-BREAK SPACE}345"
        in message
    )


@pytest.mark.django_db
def test_the_header_switcher_works_for_visitors() -> None:
    client = Client()
    assert "Join" in client.get(reverse("site:home")).content.decode()
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("site:home")).content.decode()
    assert '<html lang="es">' in page and "Unirme" in page and "Iniciar sesión" in page


@pytest.mark.django_db
def test_the_header_switcher_saves_a_members_language(make_member: Any, login: Any) -> None:
    from parecon.web.members.models import Member

    member = make_member("Hugo")
    client = login(member)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert Member.objects.get(pk=member.pk).language == "es"
    assert "Mis capítulos" in client.get(reverse("site:home")).content.decode()
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert Member.objects.get(pk=member.pk).language == "es"


@pytest.mark.django_db
def test_the_public_log_reads_in_each_readers_language(
    chapter: Any, make_member: Any, login: Any, term: dict[str, Any]
) -> None:
    """A summary written by an English-speaking admin reads in Spanish for Elena, with
    the role's name and the term's dates in Spanish too; the column keeps the original."""
    from django.utils import translation

    from parecon.web.chapters.services import grant_role
    from parecon.web.history.models import Event

    elena = make_member("Elena", language="es")
    with translation.override("en"):  # the admin works in English
        grant_role(chapter.founder, chapter, elena, "treasurer", **term)
    event = Event.objects.get(verb="role.granted", chapter=chapter, data__role="treasurer")
    assert "Elena is treasurer from" in event.summary
    url = reverse("chapters:log", args=[chapter.slug])
    spanish = login(elena).get(url).content.decode()
    assert re.search(r"Elena es tesorero/a del \d{1,2} de [a-z]+ de \d{4} al", spanish), spanish
    assert "otorgado por un/a administrador/a" in spanish and "se unió" in spanish
    english = login(chapter.founder).get(url).content.decode()
    assert "Elena is treasurer from" in english and "joined." in english
