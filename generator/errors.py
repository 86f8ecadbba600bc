"""The library's exceptions: each carries a one-line message that names the input and the fix."""


class SolidarityError(Exception):
    """A problem with the user's input; the message is shown to them as it is."""

    exit_code = 1


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
