"""Reading the page's form into the library's `PostRequest` (the same one `solidarity make` builds).

Over the web, a flower and a template are names from the page's lists: a path would turn the server's
files into a picture or a message.
"""

from __future__ import annotations

import re

from werkzeug.datastructures import FileStorage, MultiDict

from generator.errors import UsageError


def request_from_form(form: MultiDict, files: MultiDict, several_formats: bool):
    from generator.spec import PostRequest
    from generator.web.hosting import with_campaign_kit

    formats = ticked_formats(form)
    if not several_formats:
        formats = formats[:1]
    return with_campaign_kit(PostRequest(
        flower=_flower(form, files.get("photo")),
        message=_message(form),
        template=_catalogue_template(form),
        language=_text(form, "lang") or "en",
        formats=formats,
        style=_text(form, "style") or "card",
        tags=_words(form.get("tags", "")),
        hashtags=_words(form.get("hashtags", "")),
        image_type=_text(form, "image_type") or "jpeg",
    ), form)


def ticked_formats(form: MultiDict) -> tuple[str, ...]:
    return tuple(name.strip() for value in form.getlist("format") for name in value.split(",") if name.strip())


def _catalogue_template(form: MultiDict) -> str | None:
    template = _text(form, "template")
    if template and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", template):
        raise UsageError(f"template '{template}': choose a message from the list")
    return template


def _flower(form: MultiDict, photo: FileStorage | None):
    from generator.flowers.focus import parse_focus

    focus_text = _text(form, "focus")
    focus = parse_focus(focus_text) if focus_text else None
    data = photo.stream.read() if photo is not None else b""
    if photo is not None and (data or photo.filename):  # a form with no file chosen sends an empty part
        from generator.flowers.upload import uploaded_flower

        return uploaded_flower(data, photo.filename or "photo", focus)
    flower = _text(form, "flower")
    if flower and _looks_like_a_path(flower):
        raise UsageError(f"flower '{flower}': choose a flower from the list or upload a photo")
    from generator.flowers import resolve_flower

    return resolve_flower(flower, focus)


def _looks_like_a_path(text: str) -> bool:
    from generator.flowers import GROW_PREFIX, bundled

    return not text.startswith(GROW_PREFIX) and text not in bundled()


def _message(form: MultiDict) -> str | None:
    # A message field that was sent but left blank is an empty message (the library says so), unless a
    # template was chosen instead; no message field at all means the default template.
    message = form.get("message")
    if message is None or (not message.strip() and _text(form, "template")):
        return None
    return message


def _text(form: MultiDict, name: str) -> str | None:
    value = form.get(name, "")
    return value if value.strip() else None


def _words(text: str) -> tuple[str, ...]:
    return tuple(word for word in text.replace(",", " ").split() if word)
