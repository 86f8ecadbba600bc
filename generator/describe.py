"""A picture in words, in any catalogue language: facts about the picture, phrased by per-language data.

The facts (`Picture`) come from the flower painter; the words come from the `[picture]` table of a
LANGUAGE.toml: phrases with placeholders, per-species forms and per-colour forms. Grammar lives in the
data, never in string concatenation here:

    bouquet = "Рисунок: букет из {count.gen} {species.gen} {mood}, перевязанный {ribbon}"
    [picture.species.rose]   gender = "f"   gen = "{colours} роз"
    [picture.colours.white]  gen = "белых"

A placeholder names a table and, after a dot, a form. Forms are looked up for the species' gender first
(`gen-f`), then as written (`gen`), then by the gender alone (`f`): so colours agree with their noun, and
a phrase can differ by gender (`single-behind-f`). `{colours}` inside a species form takes the form's own
name (a colour in the genitive beside a noun in the genitive); a colour list is joined by the language's
`and`. Phrases: photo, single, single-behind (other colours behind the bloom), bouquet, meadow.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from generator.errors import TemplateError

_PLACEHOLDER = re.compile(r"\{([a-z]+)(?:\.([a-z0-9-]+))?\}")


class Picture(NamedTuple):  # not a dataclass: an eighth of the import cost, paid by every cold `make`
    """What a post's picture shows, as facts a language can phrase: no words in it."""

    kind: str = "photo"  # "drawing" (bundled and grown flowers) or "photo" (the supporter's own)
    species: str | None = None
    composition: str = "single"  # single, bouquet or meadow
    colours: tuple[str, ...] = ()  # the main bloom's first for a single; white before red otherwise
    behind: tuple[str, ...] = ()  # a single bloom's other colours, in the blooms behind it
    count: int = 0  # blooms in a bouquet
    ribbon: str | None = None  # what ties a bouquet: "linen" or "white-red-white" (the historic flag)
    mood: str | None = None  # the light and background, a key of the language's `moods`


def describe(picture: Picture, words: Mapping[str, object], language: str) -> str:
    """The picture as one phrase (no final full stop) in the language whose `[picture]` table is `words`."""
    if picture.kind != "drawing" or not picture.species:
        return str(_entry(words, "photo", language))
    phrase = picture.composition + ("-behind" if picture.composition == "single" and picture.behind else "")
    species = _table(words, "species", language).get(picture.species)
    if not isinstance(species, Mapping):
        raise TemplateError(f"alt text ({language}): no words for the flower species '{picture.species}'")
    gender = str(species.get("gender", ""))
    return _Phrasing(picture, words, species, gender, language).expand(_gendered(words, phrase, gender, language))


class _Phrasing:
    def __init__(self, picture: Picture, words: Mapping[str, object], species: Mapping[str, object], gender: str,
                 language: str):
        self.picture, self.words, self.species, self.gender, self.language = picture, words, species, gender, language

    def expand(self, text: str, species_form: str | None = None) -> str:
        """Fill the placeholders; inside a species form (`species_form`), only its colours."""
        def value(found: re.Match) -> str:
            name, form = found.group(1), found.group(2)
            if species_form is not None and name not in ("colours", "behind"):
                raise TemplateError(f"alt text ({self.language}): a species form may hold only {{colours}}")
            return self._value(name, form or species_form)

        return _PLACEHOLDER.sub(value, text)

    def _value(self, name: str, form: str | None) -> str:
        if name == "species":
            return self.expand(str(_gendered(self.species, form or "one", "", self.language)), form or "one")
        if name in ("colours", "behind"):
            return self._colour_list(self.picture.colours if name == "colours" else self.picture.behind, form)
        if name == "count":
            return self._count(form or "plain")
        if name == "mood":
            return str(_table(self.words, "moods", self.language).get(self.picture.mood or "", "")).strip()
        if name == "ribbon":
            ribbons = _table(self.words, "ribbons", self.language)
            return str(_entry(ribbons, self.picture.ribbon or "linen", self.language))
        raise TemplateError(f"alt text ({self.language}): unknown placeholder {{{name}}}")

    def _count(self, form: str) -> str:
        """The bouquet's number as a word in `form` (a case; with its preposition where that varies)."""
        numbers = _gendered(_table(self.words, "numbers", self.language), form, self.gender, self.language)
        if not isinstance(numbers, Mapping):
            raise TemplateError(f"alt text ({self.language}): [picture.numbers] {form} must be a table")
        return str(numbers.get(str(self.picture.count), self.picture.count))

    def _colour_list(self, colours: tuple[str, ...], form: str | None) -> str:
        table = _table(self.words, "colours", self.language)
        named = []
        for colour in colours:
            forms = table.get(colour, colour)
            named.append(str(_gendered(forms, form or "one", self.gender, self.language))
                         if isinstance(forms, Mapping) else str(forms))
        return str(self.words.get("and", " and ")).join(named)


def _gendered(table: Mapping[str, object], form: str, gender: str, language: str) -> object:
    for key in (f"{form}-{gender}" if gender else None, form, gender or None):
        if key and key in table:
            return table[key]
    raise TemplateError(f"alt text ({language}): the picture words have no '{form}' form")


def _table(words: Mapping[str, object], name: str, language: str) -> Mapping[str, object]:
    table = words.get(name, {})
    if not isinstance(table, Mapping):
        raise TemplateError(f"alt text ({language}): [picture.{name}] must be a table")
    return table


def _entry(table: Mapping[str, object], key: str, language: str) -> object:
    if key not in table:
        raise TemplateError(f"alt text ({language}): the picture words have no '{key}'")
    return table[key]
