"""The library's exceptions: each carries a one-line message that names the input and the fix.

Besides the English line (what the command line prints), an error may carry a machine-readable `kind` and
its `params`, so another face (the web page) can say the same thing in the user's language and words.
"""

from __future__ import annotations

from typing import Any


class SolidarityError(Exception):
    """A problem with the user's input; the message is shown to them as it is."""

    exit_code = 1

    def __init__(self, message: str = "", kind: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.kind = kind
        self.params = params

    def reworded(self, message: str, **more: Any) -> SolidarityError:
        """The same error (kind and params, plus `more`) with a new English line."""
        return type(self)(message, self.kind, **{**self.params, **more})


class UsageError(SolidarityError):
    """An option value that cannot be used (unknown name, malformed value)."""

    exit_code = 2


class PhotoError(SolidarityError):
    """A photo that cannot be read or used."""


class TemplateError(SolidarityError):
    """A message template that cannot be found, parsed or rendered."""


class LayoutError(SolidarityError):
    """Text that cannot be set legibly in the space a format gives it."""


class ExportError(SolidarityError):
    """An output that cannot be written."""


# The kinds a supporter can meet, with their params.
MESSAGE_EMPTY = "message-empty"                  # -
MESSAGE_TOO_LONG = "message-too-long"            # over (characters); format (absent: too long for any post)
MESSAGE_TOO_TALL = "message-too-tall"            # format
CAPTION_TOO_LONG = "caption-too-long"            # over, format; part: "caption" or "alt text"
CHARACTER_MISSING = "character-missing"          # character
PHOTO_UNREADABLE = "photo-unreadable"            # - (damaged, truncated, empty)
PHOTO_TOO_LARGE = "photo-too-large"              # - (too many pixels, too many bytes)
PHOTO_NOT_AN_IMAGE = "photo-not-an-image"        # - (not an image, or a format we do not read)
PHOTO_SHAPE = "photo-shape"                      # - (a long sliver)
TAG_INVALID = "tag-invalid"                      # tag (as typed)
