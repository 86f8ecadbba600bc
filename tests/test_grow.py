"""The procedural flower painter and the bundled garden it grows."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image

from generator.errors import UsageError
from generator.flowers.grow import COMPOSITIONS, PALETTES, SPECIES, GrownFlower, encode_bundled_jpeg, grow

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets" / "flowers"
GARDEN = ROOT / "docs" / "garden.jpg"
PLATFORM_SIZES = [(1080, 1080), (1080, 1350), (1080, 1920), (1600, 900), (1200, 630), (1200, 627)]
REQUIRED_SPECIES = {"cornflower", "chamomile", "poppy", "tulip", "rose", "carnation", "lily-of-the-valley", "sunflower"}


def _assert_well_formed(grown: GrownFlower, size: tuple[int, int]) -> None:
    assert grown.image.size == size
    assert grown.image.mode == "RGB"
    assert all(0.0 <= value <= 1.0 for value in grown.focus)
    assert grown.description and "\n" not in grown.description


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("grow_bundled_flowers", ROOT / "scripts" / "grow_bundled_flowers.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the script is being run
    spec.loader.exec_module(module)
    return module


def test_the_required_choices_are_offered() -> None:
    assert set(SPECIES) >= REQUIRED_SPECIES
    assert COMPOSITIONS == ("single", "bouquet", "meadow")
    assert {"natural", "white-red-white"} <= set(PALETTES)


# --- growing -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", PLATFORM_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("species", SPECIES)
def test_every_species_grows_in_every_platform_shape(species: str, size: tuple[int, int]) -> None:
    # Each platform's exact aspect ratio at a quarter of its width and height keeps the suite quick;
    # the layout depends only on the shape, and full-size pictures are grown below.
    small = (size[0] // 4, size[1] // 4)
    _assert_well_formed(grow(species, seed=5, size=small), small)


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("composition", COMPOSITIONS)
@pytest.mark.parametrize("species", SPECIES)
def test_every_composition_and_palette_grows(species: str, composition: str, palette: str) -> None:
    grown = grow(species, seed=11, size=(216, 270), composition=composition, palette=palette)
    _assert_well_formed(grown, (216, 270))
    if palette == "white-red-white":
        assert "white" in grown.description and "red" in grown.description


@pytest.mark.parametrize(
    ("species", "size", "composition"),
    [("cornflower", (1080, 1350), "single"), ("poppy", (1600, 900), "meadow"), ("rose", (1200, 627), "bouquet")],
)
def test_full_size_pictures_are_painted_at_the_requested_size(
    species: str, size: tuple[int, int], composition: str
) -> None:
    _assert_well_formed(grow(species, seed=1, size=size, composition=composition), size)


@pytest.mark.parametrize("size", [(64, 64), (64, 600), (600, 64), (97, 67)], ids=str)
def test_the_smallest_and_thinnest_sizes_work(size: tuple[int, int]) -> None:
    for species in SPECIES:
        _assert_well_formed(grow(species, seed=2, size=size, composition="bouquet"), size)


def test_growing_is_deterministic() -> None:
    first = grow("chamomile", seed=7, size=(270, 338), composition="meadow", palette="white-red-white")
    again = grow("chamomile", seed=7, size=(270, 338), composition="meadow", palette="white-red-white")
    assert first.image.tobytes() == again.image.tobytes()
    assert (first.focus, first.description) == (again.focus, again.description)


def test_a_different_seed_grows_a_different_picture() -> None:
    first = grow("tulip", seed=1, size=(270, 338))
    other = grow("tulip", seed=2, size=(270, 338))
    assert first.image.tobytes() != other.image.tobytes()


def test_the_focus_is_on_the_flower_and_the_top_is_left_calm() -> None:
    grown = grow("sunflower", seed=3, size=(1080, 1350), composition="single")
    assert 0.3 < grown.focus[0] < 0.7
    assert grown.focus[1] > 0.45  # the bloom sits low, the upper part is for the message


def test_the_description_names_the_flower() -> None:
    assert "cornflower" in grow("cornflower", seed=0, size=(200, 250)).description
    assert "bouquet" in grow("rose", seed=0, size=(200, 250), composition="bouquet").description
    assert "meadow" in grow("poppy", seed=0, size=(200, 250), composition="meadow").description


# --- bad arguments -------------------------------------------------------------------------------------


def test_an_unknown_species_is_a_usage_error_listing_the_choices() -> None:
    with pytest.raises(UsageError) as caught:
        grow("daisy")
    assert str(caught.value) == f"unknown flower species 'daisy'; choose one of: {', '.join(SPECIES)}"


def test_an_unknown_composition_is_a_usage_error_listing_the_choices() -> None:
    with pytest.raises(UsageError) as caught:
        grow("rose", composition="wreath")
    assert str(caught.value) == "unknown composition 'wreath'; choose one of: single, bouquet, meadow"


def test_an_unknown_palette_is_a_usage_error_listing_the_choices() -> None:
    with pytest.raises(UsageError) as caught:
        grow("rose", palette="neon")
    assert str(caught.value) == f"unknown palette 'neon'; choose one of: {', '.join(PALETTES)}"


@pytest.mark.parametrize("size", [(63, 500), (500, 63), (6001, 500), (500, 6001), (0, 0), (-1080, 1350)], ids=str)
def test_a_size_out_of_range_is_a_usage_error(size: tuple[int, int]) -> None:
    with pytest.raises(UsageError, match=r"out of range; each side must be 64 to 6000 pixels"):
        grow("rose", size=size)


@pytest.mark.parametrize("size", [(1080.0, 1350), ("1080", "1350"), (1080,), (True, 100), "1080x1350"], ids=repr)
def test_a_malformed_size_is_a_usage_error(size: object) -> None:
    with pytest.raises(UsageError, match="not two whole numbers of pixels"):
        grow("rose", size=size)  # type: ignore[arg-type]


def test_error_messages_are_one_line() -> None:
    for call in (lambda: grow("daisy"), lambda: grow("rose", size=(1, 1)), lambda: grow("rose", palette="x")):
        with pytest.raises(UsageError) as caught:
            call()
        assert "\n" not in str(caught.value)


# --- the bundled garden --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalogue() -> list[dict[str, object]]:
    return json.loads((ASSETS / "flowers.json").read_text(encoding="utf-8"))


def test_the_catalogue_lists_exactly_the_bundled_pictures(catalogue: list[dict[str, object]]) -> None:
    names = [entry["name"] for entry in catalogue]
    assert names == sorted(names) and len(set(names)) == len(names) >= 12
    assert {entry["file"] for entry in catalogue} == {path.name for path in ASSETS.glob("*.jpg")}
    assert {path.name for path in ASSETS.iterdir()} == {f"{name}.jpg" for name in names} | {"flowers.json"}


def test_catalogue_entries_are_complete_and_valid(catalogue: list[dict[str, object]]) -> None:
    for entry in catalogue:
        assert set(entry) == {
            "name",
            "file",
            "species",
            "seed",
            "composition",
            "palette",
            "focus",
            "description",
            "tone",
            "picture",
        }
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", str(entry["name"]))
        assert entry["file"] == f"{entry['name']}.jpg"
        assert entry["species"] in SPECIES
        assert entry["composition"] in COMPOSITIONS
        assert entry["palette"] in PALETTES
        assert isinstance(entry["seed"], int)
        focus = entry["focus"]
        assert isinstance(focus, list) and len(focus) == 2 and all(0 <= v <= 1 for v in focus)
        assert entry["tone"] in ("light", "dark")
        assert isinstance(entry["description"], str) and entry["description"]


def test_the_recorded_pictures_are_what_the_painter_paints(catalogue: list[dict[str, object]]) -> None:
    """The alt text of a bundled flower reads the catalogue's picture facts: they must be the painter's own."""
    from generator.flowers import BUNDLED_SIZE, bundled
    from generator.flowers.grow import picture

    for entry in catalogue:
        painted = picture(str(entry["species"]), int(entry["seed"]), BUNDLED_SIZE, str(entry["composition"]),
                          str(entry["palette"]))  # type: ignore[call-overload]
        assert bundled()[str(entry["name"])].picture == painted


def test_the_garden_is_varied(catalogue: list[dict[str, object]]) -> None:
    by_name = {entry["name"]: entry for entry in catalogue}
    assert by_name["cornflower"]["species"] == "cornflower"
    assert by_name["cornflower"]["palette"] == "natural"
    assert {entry["tone"] for entry in catalogue} == {"light", "dark"}
    assert {entry["palette"] for entry in catalogue} >= {"natural", "white-red-white"}
    assert {entry["species"] for entry in catalogue} >= REQUIRED_SPECIES


def test_bundled_pictures_are_clean_1600_by_2000_jpegs(catalogue: list[dict[str, object]]) -> None:
    for entry in catalogue:
        with Image.open(ASSETS / str(entry["file"])) as image:
            assert image.format == "JPEG"
            assert image.size == (1600, 2000)
            assert image.mode == "RGB"
            assert not {"exif", "icc_profile", "comment", "xmp", "photoshop"} & set(image.info)


def test_the_bundled_folder_stays_small() -> None:
    assert sum(path.stat().st_size for path in ASSETS.iterdir()) < 10 * 1024 * 1024


def test_the_script_describes_the_catalogue(catalogue: list[dict[str, object]]) -> None:
    script = _load_script()
    recorded = {(e["name"], e["species"], e["seed"], e["composition"], e["palette"]) for e in catalogue}
    planned = {(f.name, f.species, f.seed, f.composition, f.palette) for f in script.BUNDLE}
    assert recorded == planned
    assert script.BUNDLED_SIZE == (1600, 2000)


def test_regrowing_a_bundled_flower_reproduces_its_bytes_and_its_catalogue_entry(
        catalogue: list[dict[str, object]]) -> None:
    script = _load_script()
    entry = next(e for e in catalogue if e["name"] == "cornflower")
    flower = next(f for f in script.BUNDLE if f.name == "cornflower")
    grown = grow(flower.species, flower.seed, script.BUNDLED_SIZE, flower.composition, flower.palette)
    assert encode_bundled_jpeg(grown.image) == (ASSETS / str(entry["file"])).read_bytes()
    assert json.loads(json.dumps(script.catalogue_entry(flower, grown))) == entry  # as flowers.json holds it


def test_the_bundled_encoding_carries_no_metadata() -> None:
    image = Image.new("RGB", (80, 100), (200, 30, 40))
    image.info["comment"] = b"secret"
    data = encode_bundled_jpeg(image)
    assert b"Exif" not in data and b"secret" not in data and b"ICC_PROFILE" not in data


def test_the_contact_sheet_exists_and_is_small() -> None:
    assert GARDEN.stat().st_size < 400 * 1024
    with Image.open(GARDEN) as sheet:
        assert sheet.format == "JPEG"


def test_describe_says_what_grow_paints_without_painting():
    from generator.flowers.grow import describe

    for species in SPECIES:
        assert describe(species, 5, (640, 800)) == grow(species, 5, (640, 800)).description
