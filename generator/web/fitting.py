"""Which ticked platforms a message fits, measured as the supporter types: planned and measured, never drawn."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from generator.errors import SolidarityError
from generator.web import answers, words
from generator.web.failures import described


def fit_report(post_request, formats: tuple[str, ...]) -> dict[str, Any]:
    """For each ticked platform, whether the message fits and, if not, by how much (in the page's words).

    An error that is not about one platform (an empty message, a character no font has) is reported once.
    """
    from generator.formats import resolve_formats

    try:  # "all" is every platform here too, as for a preview or a make
        names = [fmt.name for fmt in resolve_formats(formats)] if formats else []
    except SolidarityError as error:
        return {"formats": [], **described(error)}
    results = []
    for name in names:
        try:
            _check(post_request, name)
        except SolidarityError as error:
            if "format" not in error.params:
                return {"formats": [], **described(error)}
            results.append(_too_long(name, error))
        else:
            results.append({"format": name, "label": words.format_label(name), "fits": True, "text": words.fits()})
    return {"formats": results}


def _check(post_request, name: str) -> None:
    from generator.compose import check_fits
    from generator.spec import plan_posts

    [spec] = plan_posts(replace(post_request, formats=(name,)))  # the caption's and alt text's limits
    with answers.render_lock:  # the font caches are single-threaded
        check_fits(spec)  # the message's box, measured with the real fonts


def _too_long(name: str, error: SolidarityError) -> dict[str, Any]:
    over = int(error.params.get("over", 0))
    sentence = described(error)["error"]
    return {"format": name, "label": words.format_label(name), "fits": False, "over": over,
            "text": words.too_long(over) if over else sentence, "error": sentence}
