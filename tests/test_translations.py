"""Every word of the page in every language: each catalogue complete, nothing fuzzy, placeholders intact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pofile = pytest.importorskip("babel.messages.pofile", reason="the page's catalogues need Babel")

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.extract import extract_from_dir  # noqa: E402

WEB = Path(__file__).resolve().parents[1] / "generator" / "web"
TRANSLATIONS = WEB / "translations"
LANGUAGES = ("be", "ru", "uk", "pl", "lt", "en", "de", "cs", "fr", "es", "ar")
# Words that are spelt the same in English and the language (each checked by a reader of it).
SAME_WORD = {"de": {"Banner"}, "fr": {"Message", "Instagram, portrait", "Facebook, portrait", "Bluesky, portrait"}}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return pofile.read_po(file, locale=locale)


def ids(catalogue: Catalog) -> set:
    return {message.id for message in catalogue if message.id}


def test_the_languages_are_the_message_catalogues_languages():
    from generator import messages
    from generator.web.language import LANGUAGES as PAGE_LANGUAGES

    assert set(PAGE_LANGUAGES) == set(LANGUAGES) == set(messages.languages())
    assert {path.parent.parent.name for path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")} == set(LANGUAGES)


def test_the_template_holds_exactly_the_words_in_the_code():
    # Re-extract as translations/README.md says; a word added to the page without updating the catalogues fails.
    found = set()
    for _, _, message, *_ in extract_from_dir(str(WEB), method_map=[("**.py", "python"), ("templates/**.html", "jinja2")],
                                             keywords={"_": None, "ngettext": (1, 2)}):
        found.add(message)
    assert found == ids(read(TRANSLATIONS / "messages.pot"))


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_message_is_translated_in_every_language_with_its_placeholders(code):
    template = read(TRANSLATIONS / "messages.pot")
    catalogue = read(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", locale=code)
    assert ids(catalogue) == ids(template), f"{code}: run pybabel update (see translations/README.md)"
    for message in catalogue:
        if not message.id:
            continue
        assert not message.fuzzy, f"{code}: fuzzy: {message.id!r}"
        singular = message.id[0] if message.pluralizable else message.id
        wanted = set(PLACEHOLDER.findall(singular))
        forms = message.string if message.pluralizable else (message.string,)
        if message.pluralizable:
            assert len(forms) == catalogue.num_plurals, f"{code}: {len(forms)} plural forms for {singular!r}"
        for form in forms:
            assert form and form.strip(), f"{code}: untranslated: {singular!r}"
            got = set(PLACEHOLDER.findall(form))
            # A plural form may leave out the number ("one character" in words); nothing else may go or come.
            assert got - {"num"} == wanted - {"num"} and got <= wanted, f"{code}: placeholders in {form!r}"
            assert form.count("%") == len(PLACEHOLDER.findall(form)), f"{code}: a stray % in {form!r}"
        if code != "en":
            assert forms[0] != singular or singular in SAME_WORD.get(code, ()), f"{code}: left in English: {singular!r}"


def test_belarusian_is_not_russian():
    belarusian = read(TRANSLATIONS / "be" / "LC_MESSAGES" / "messages.po", locale="be")
    russian = read(TRANSLATIONS / "ru" / "LC_MESSAGES" / "messages.po", locale="ru")
    same = [m.id for m in belarusian if m.id and m.string == russian[m.id].string and not re.fullmatch(r"[\W\d%()sA-Za-z]*", str(m.id))]
    assert len(same) <= 3, same
    text = " ".join(str(m.string) for m in belarusian if m.id)
    assert "ў" in text and "і" in text and not re.search(r"[щъи]", text)
