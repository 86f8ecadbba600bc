"""A lookup table made once maps an image exactly as Image.point() does with the same list."""

from __future__ import annotations

import random

import pytest
from PIL import Image

from generator.lookup import Table


@pytest.mark.parametrize("mode", ["L", "RGB"])
def test_a_table_maps_as_image_point_with_its_list(mode: str) -> None:
    rng = random.Random(4)
    bands = len(mode)
    entries = [rng.randrange(256) for _ in range(256 * bands)]
    image = Image.frombytes(mode, (37, 11), rng.randbytes(37 * 11 * bands))
    assert image.point(Table(entries)).tobytes() == image.point(entries).tobytes()
    assert image.point(Table(entries)).mode == mode


@pytest.mark.parametrize("entries", [[0] * 255, [256] * 256, [-1] * 256])
def test_a_table_refuses_entries_that_are_not_bytes(entries) -> None:
    with pytest.raises(ValueError):
        Table(entries)
