"""The page's language: chosen from the request alone (stateless), then gettext catalogues via Flask-Babel.

The choice, in order: `hl` in the query string (the page's switcher, and every request its script
sends), the `hl` cookie the switcher sets, the browser's Accept-Language, English. The page's languages are
the message catalogue's, so a supporter can write in the language the page speaks.

Catalogues: translations/LANG/LC_MESSAGES/messages.po, compiled to .mo when the package is built
(hatch_build.py). A checkout whose .mo files are missing or older than the .po files compiles them here; an
installed package never does (pip stamps each file with the moment it unpacked it, so a .po may look newer).
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, request

TRANSLATIONS = Path(__file__).parent / "translations"
CHECKOUT = Path(__file__).resolve().parents[2]  # the project folder, when this is a checkout
LANGUAGES = ("be", "ru", "uk", "pl", "lt", "en", "de", "cs", "fr", "es", "ar")
RIGHT_TO_LEFT = frozenset({"ar"})
DEFAULT_LANGUAGE = "en"
COOKIE = "hl"
COOKIE_MAX_AGE = 365 * 24 * 3600


def install(app: Flask) -> None:
    from flask_babel import Babel

    if (CHECKOUT / "pyproject.toml").is_file():
        compile_catalogues(TRANSLATIONS)
    Babel(app, locale_selector=page_language, default_locale=DEFAULT_LANGUAGE,
          default_translation_directories=str(TRANSLATIONS))


def page_language() -> str:
    # The query string, not the form: reading a form over the size limit would fail inside its own error page.
    for chosen in (request.args.get(COOKIE), request.cookies.get(COOKIE)):
        if chosen in LANGUAGES:
            return chosen
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def direction(code: str) -> str:
    return "rtl" if code in RIGHT_TO_LEFT else "ltr"


def compile_catalogues(folder: Path = TRANSLATIONS) -> list[Path]:
    """Compile every .po under `folder` whose .mo is missing or stale; the .mo files written."""
    from babel.messages import mofile, pofile

    written = []
    for po_path in sorted(folder.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as source:
            catalogue = pofile.read_po(source, locale=po_path.parent.parent.name)
        partial = mo_path.with_suffix(f".{os.getpid()}.tmp")  # workers may start at once: write, then rename
        try:
            with partial.open("wb") as target:
                mofile.write_mo(target, catalogue, use_fuzzy=False)
            os.replace(partial, mo_path)
        except OSError:
            continue  # an installed, read-only package ships its .mo files
        written.append(mo_path)
    return written
