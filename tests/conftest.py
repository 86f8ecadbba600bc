"""Shared fixtures: every test photo is made here, in code."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw, ImageFilter

from generator.cli import cli


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Run `solidarity ARGS` in an empty folder; stdout and stderr kept apart."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def flower_photo(size=(1600, 1200), centre=(0.7, 0.35), background=(96, 140, 80), seed=1) -> Image.Image:
    """A photo-like picture: a noisy blurred meadow with one saturated bloom at `centre`."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    for _ in range(400):
        x, y = rng.uniform(0, size[0]), rng.uniform(0, size[1])
        shade = tuple(max(0, min(255, c + rng.randint(-40, 40))) for c in background)
        draw.ellipse((x, y, x + rng.uniform(10, 80), y + rng.uniform(10, 80)), fill=shade)
    image = image.filter(ImageFilter.GaussianBlur(6))
    cx, cy, radius = centre[0] * size[0], centre[1] * size[1], min(size) * 0.12
    draw = ImageDraw.Draw(image)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=(60, 90, 230))
    draw.ellipse((cx - radius / 4, cy - radius / 4, cx + radius / 4, cy + radius / 4), fill=(70, 30, 90))
    return image


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "SecretPhone 12"  # Model
    exif[0x0131] = "CameraApp 1.0"  # Software
    gps = {1: "N", 2: (53.0, 54.0, 0.0), 3: "E", 4: (27.0, 33.0, 0.0)}  # Minsk
    exif[0x8825] = gps
    return exif


@pytest.fixture
def photo(tmp_path) -> Path:
    """A JPEG phone photo carrying GPS coordinates, a camera model and a comment."""
    path = tmp_path / "photos" / "garden.jpg"
    path.parent.mkdir()
    flower_photo().save(path, "JPEG", quality=90, exif=gps_exif(), comment=b"taken at home")
    return path


@pytest.fixture(params=["light", "dark", "busy"])
def backdrop_photo(request, tmp_path) -> Path:
    """Backgrounds that challenge legibility: near-white, near-black, and high-contrast noise."""
    path = tmp_path / f"{request.param}.png"
    if request.param == "light":
        image = Image.new("RGB", (1700, 1700), (250, 250, 245))
    elif request.param == "dark":
        image = Image.new("RGB", (1700, 1700), (8, 8, 12))
    else:
        rng = random.Random(7)
        image = Image.new("RGB", (170, 170))
        image.putdata([(255, 255, 255) if rng.random() < 0.5 else (0, 0, 0) for _ in range(170 * 170)])
        image = image.resize((1700, 1700), Image.Resampling.NEAREST)
    image.save(path)
    return path
