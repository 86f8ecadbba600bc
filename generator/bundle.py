"""Hand-over files for a batch: a contact sheet to eyeball, and one zip per platform for the social team."""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from pathlib import Path

from generator.export import atomic_write, jpeg_bytes

SHEET_COLUMNS = 6
SHEET_CELL = 240  # px: each thumbnail's box
SHEET_LABEL = 36
SHEET_PAGE = 60  # posts per page keeps each sheet a reasonable size for any campaign
ZIP_TIME = (2020, 8, 9, 0, 0, 0)  # a fixed timestamp: the same posts give the same zip bytes


def contact_sheets(folder: Path, records, name: str = "contact-sheet") -> list[Path]:
    """Grids of thumbnails with row and format labels; one page per SHEET_PAGE posts, built page by page."""
    written = []
    for page, start in enumerate(range(0, len(records), SHEET_PAGE), start=1):
        path = folder / (f"{name}.jpg" if len(records) <= SHEET_PAGE else f"{name}-{page:03d}.jpg")
        atomic_write(path, _sheet_bytes(folder, records[start:start + SHEET_PAGE]))
        written.append(path)
    return written


def _sheet_bytes(folder: Path, records) -> bytes:
    from PIL import Image, ImageDraw

    from generator import fonts

    rows = (len(records) + SHEET_COLUMNS - 1) // SHEET_COLUMNS
    sheet = Image.new("RGB", (SHEET_COLUMNS * SHEET_CELL, rows * (SHEET_CELL + SHEET_LABEL)), (245, 244, 240))
    draw = ImageDraw.Draw(sheet)
    label_font = fonts.load(fonts.noto_sans(500), 15)
    for index, record in enumerate(records):
        x = (index % SHEET_COLUMNS) * SHEET_CELL
        y = (index // SHEET_COLUMNS) * (SHEET_CELL + SHEET_LABEL)
        with Image.open(folder / record.image) as image:
            image.draft("RGB", (SHEET_CELL, SHEET_CELL))
            image = image.convert("RGB")
            image.thumbnail((SHEET_CELL - 16, SHEET_CELL - 16))
        sheet.paste(image, (x + (SHEET_CELL - image.width) // 2, y + (SHEET_CELL - image.height) // 2))
        draw.text((x + SHEET_CELL / 2, y + SHEET_CELL + 4), f"row {record.row} · {record.format}", font=label_font,
                  fill=(40, 40, 40), anchor="ma")
    return jpeg_bytes(sheet, quality=85, optimize=True)


def platform_zips(folder: Path, records, name: str = "posts") -> list[Path]:
    """posts-FORMAT.zip for each platform, holding each post's image, caption and alt text."""
    by_format = defaultdict(list)
    for record in records:
        by_format[record.format].append(record)
    written = []
    for format_name, members in sorted(by_format.items()):
        path = folder / f"{name}-{format_name}.zip"
        atomic_write(path, _zip_bytes(folder, members))
        written.append(path)
    return written


def _zip_bytes(folder: Path, records) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for record in records:
            for file_name, method in ((record.image, zipfile.ZIP_STORED), (record.caption_file, zipfile.ZIP_DEFLATED),
                                      (record.alt_file, zipfile.ZIP_DEFLATED)):
                info = zipfile.ZipInfo(file_name, ZIP_TIME)
                info.compress_type = method  # images are compressed already
                info.external_attr = 0o644 << 16
                archive.writestr(info, (folder / file_name).read_bytes())
    return buffer.getvalue()
