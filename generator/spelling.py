"""Names people type for columns and keys: matched to ours however they are spelled, the nearest suggested.

A campaign column and a kit key may be written as `make` spells its option (`--image-type`, `--format`), in
the singular or the plural, in any case, with hyphens, spaces or underscores: `Image Type`, `image-type` and
`image_type` are the same name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def normalise(name: str) -> str:
    """'Image Type', '--image-type' and 'image_type' all become 'image_type'."""
    words = str(name).strip().lstrip("-").lower().replace("-", " ").replace("_", " ").split()
    return "_".join(words)


def spellings(table: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Every accepted spelling, normalised -> the name it means; `table` maps each name to its other spellings."""
    accepted: dict[str, str] = {}
    for name, others in table.items():
        for spelling in (name, *others):
            accepted[normalise(spelling)] = name
    return accepted


def nearest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to `name`, if one is close enough to be what was meant."""
    import difflib  # only a mistyped name needs it: not imported by every `make`

    matches = difflib.get_close_matches(normalise(name), list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """"did you mean 'formats'?" for a near miss, else ''."""
    match = nearest(name, candidates)
    return f"did you mean '{match}'?" if match else ""
