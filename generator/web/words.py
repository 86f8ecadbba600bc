"""The page's words in the page's language: platform and style names, and the library's errors said in the
form's words (from the error's kind and params, never by reading its English line)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from generator import errors

_FORMAT_LABELS = {
    "instagram-square": lambda: _("Instagram, square"), "instagram-portrait": lambda: _("Instagram, portrait"),
    "instagram-3x4": lambda: _("Instagram, 3:4 grid"),
    "instagram-story": lambda: _("Instagram story"), "x": lambda: "X (Twitter)",
    "facebook": lambda: _("Facebook, landscape"), "facebook-portrait": lambda: _("Facebook, portrait"),
    "bluesky": lambda: _("Bluesky, landscape"), "bluesky-portrait": lambda: _("Bluesky, portrait"),
    "mastodon": lambda: "Mastodon", "threads": lambda: "Threads", "linkedin": lambda: "LinkedIn",
}
_STYLE_LABELS = {
    "card": lambda: _("Dark card"), "light-card": lambda: _("Light card"), "banner": lambda: _("Banner"),
    "scrim": lambda: _("Soft shade"), "polaroid": lambda: _("Photo frame"),
    "white-red-white": lambda: _("White-red-white"),
}


_BRANDS = {"instagram": "Instagram", "x": "X", "facebook": "Facebook", "bluesky": "Bluesky", "mastodon": "Mastodon",
           "threads": "Threads", "linkedin": "LinkedIn"}


def brand(name: str) -> str:
    """The platform's own name, the same in every language: instagram-story -> Instagram."""
    first = name.split("-")[0]
    return _BRANDS.get(first, first.capitalize())


def format_label(name: str) -> str:
    label = _FORMAT_LABELS.get(name)
    return label() if label else name.replace("-", " ").capitalize()


def style_label(name: str) -> str:
    label = _STYLE_LABELS.get(name)
    return label() if label else name.replace("-", " ").capitalize()


def flower_label(name: str, species_name: str) -> str:
    """A bundled flower by its species' name in the page's language, and its variant."""
    flower = species_name[:1].upper() + species_name[1:]
    if name.endswith("-white-red-white"):
        return _("%(flower)s, white-red-white", flower=flower)
    if name.endswith("-meadow"):
        return _("%(flower)s, meadow", flower=flower)
    return flower


def fits() -> str:
    return _("fits")


def too_long(count: int) -> str:
    return ngettext("%(num)d character too long", "%(num)d characters too long", count)


def post_warnings(spec) -> list[str]:
    """A post's advice in the page's words (the library's one warning: more hashtags than the platform likes)."""
    most = spec.format.max_hashtags
    if not spec.warnings or most is None:
        return []
    return [ngettext("%(platform)s works best with no more than %(num)d hashtag.",
                     "%(platform)s works best with no more than %(num)d hashtags.", most,
                     platform=brand(spec.format.name))]


def error_field(error: errors.SolidarityError) -> str:
    """The part of the form an error is about, so the page shows it there."""
    kind = error.kind or ""
    if kind.startswith("photo-"):
        return "photo"
    if kind == errors.TAG_INVALID:
        return "tags"
    if kind in (errors.MESSAGE_EMPTY, errors.MESSAGE_TOO_LONG, errors.MESSAGE_TOO_TALL, errors.CAPTION_TOO_LONG,
                errors.CHARACTER_MISSING):
        return "message"
    return "form"


def error_text(error: errors.SolidarityError) -> str | None:
    """The error in the page's language, or None for a kind the page has no words for."""
    params = error.params
    platform = format_label(params["format"]) if "format" in params else None
    over = int(params.get("over", 0))
    if error.kind == errors.MESSAGE_EMPTY:
        return _("The message is empty: write a few words of solidarity.")
    if error.kind == errors.MESSAGE_TOO_LONG and platform:
        return ngettext("The message is too long for %(platform)s by about %(num)d character: shorten it, "
                        "or untick %(platform)s.",
                        "The message is too long for %(platform)s by about %(num)d characters: shorten it, "
                        "or untick %(platform)s.", over, platform=platform)
    if error.kind == errors.MESSAGE_TOO_LONG:
        return ngettext("The message is %(num)d character too long for any post: shorten it.",
                        "The message is %(num)d characters too long for any post: shorten it.", over)
    if error.kind == errors.MESSAGE_TOO_TALL:
        return _("The message has too many stacked accents or marks to fit on %(platform)s: remove some, or "
                 "shorten the message.", platform=platform)
    if error.kind == errors.CAPTION_TOO_LONG and params.get("part") == "alt text":
        return ngettext("The image description is too long for %(platform)s by %(num)d character: shorten the "
                        "message.",
                        "The image description is too long for %(platform)s by %(num)d characters: shorten the "
                        "message.", over, platform=platform)
    if error.kind == errors.CAPTION_TOO_LONG:
        return ngettext("With the tags, the caption is too long for %(platform)s by %(num)d character: shorten "
                        "the message or remove some tags.",
                        "With the tags, the caption is too long for %(platform)s by %(num)d characters: shorten "
                        "the message or remove some tags.", over, platform=platform)
    if error.kind == errors.CHARACTER_MISSING:
        return _("The character “%(character)s” cannot be drawn with the fonts here: remove it or replace it.",
                 character=params.get("character", "?"))
    if error.kind == errors.PHOTO_UNREADABLE:
        return _("This photo cannot be read: it may be damaged or incomplete. Choose another photo, or save it "
                 "again as JPEG.")
    if error.kind == errors.PHOTO_TOO_LARGE:
        return _("This photo is too large. Choose a smaller photo, or save it at a smaller size.")
    if error.kind == errors.PHOTO_NOT_AN_IMAGE:
        return _("This file is not a photo the page can use. Choose a JPEG, PNG, WebP, HEIC, AVIF, TIFF, GIF or BMP "
                 "image.")
    if error.kind == errors.TAG_INVALID:
        return _("“%(tag)s” cannot be a tag: use only letters, digits and underscores, like @Medics or #Medics.",
                 tag=params.get("tag", ""))
    if error.kind == errors.PHOTO_SHAPE:
        return _("This photo is too long and narrow. Choose one closer to a square.")
    return None


def upload_too_large(size_text: str) -> str:
    return _("The photo is larger than %(size)s: choose a smaller photo, or save it at a lower quality.",
             size=size_text)


def rate_limited() -> str:
    return _("You have made many images in a short time. Wait a minute, then try again.")


def timed_out() -> str:
    return _("Making the image took too long. Try again in a moment, or with a smaller photo.")


def http_error(status: int) -> str:
    return {
        400: lambda: _("The request could not be read. Reload the page and try again."),
        403: lambda: _("This page answers only requests made from itself, at its own address."),
        404: lambda: _("There is nothing at this address. Go back to the start page."),
        405: lambda: _("This address does not accept that kind of request. Use the page's buttons."),
    }.get(status, lambda: _("Something went wrong while making the image. Please try again, or try another "
                            "photo or a shorter message."))()


def page_strings() -> dict[str, str]:
    """The words the page's script shows, in the page's language (placeholders: %(name)s)."""
    return {
        "using_photo": _("Using %(name)s"),
        "making": _("Making your images…"),
        "ready": _("Your images are ready below."),
        "no_platform": _("Choose at least one platform."),
        "no_photo": _("Choose your photo first, or pick one of our flowers."),
        "offline": _("The page could not reach its server. Check your connection and try again."),
        "copied": _("Copied"),
        "copy_blocked": _("Copying is blocked here: the text is selected, copy it with a long press or your "
                          "keyboard."),
        "too_large": upload_too_large("%(size)s"),
        "share": _("Share"),
        "download": _("Download"),
        "fits": _("fits"),
        "own_words": _("My own words"),
        "animated": _("Animated (Story / Reel)"),
        "animating": _("Making your video…"),
        "video_ready": _("Your video is ready below."),
    }
