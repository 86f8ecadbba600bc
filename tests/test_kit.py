"""Campaign kits: a team's colours, style, font, logo, tags and template on every post; the command line
still wins; every bad value refused with one line naming the key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from conftest import files_in
from generator.compose import render
from generator.kit import apply_kit, load_kit, with_kit
from generator.spec import PostRequest, plan_posts
from generator.styles import MIN_CONTRAST, relative_luminance, solid_contrast

LOGO_YELLOW = (255, 255, 0)


def write_logo(path: Path, colour=LOGO_YELLOW, size=(400, 160)) -> Path:
    """A yellow badge on a transparent background: its corners must stay see-through on the post."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(image).rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), size[1] // 3, fill=(*colour, 255))
    image.save(path)
    return path


def write_kit(folder: Path, text: str, name: str = "campaign.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


KIT = """\
style = "banner"
lang = "be"
template = "thank-you"
tags = ["@amnesty_pl"]
hashtags = ["FreeMedics"]

[colours]
panel = "#1d1d1b"
text = "#ffffff"
accent = "#ffff00"

[logo]
file = "art/logo.png"
position = "top-left"
width = 0.2
"""


@pytest.fixture
def kit(tmp_path) -> Path:
    (tmp_path / "art").mkdir()
    write_logo(tmp_path / "art" / "logo.png")
    return write_kit(tmp_path, KIT)


def test_a_kit_sets_style_colours_logo_tags_template_and_language(run, tmp_path, kit):
    result = run("make", "--kit", str(kit), "-F", "instagram-portrait", "--json", "-q")
    assert result.exit_code == 0, result.output
    [post] = json.loads(result.stdout)["posts"]
    assert post["language"] == "be" and post["message"].startswith("Дзякуй вам, лекары")
    assert "-thank-you-be-" in Path(post["image"]).name
    caption = Path(post["caption_file"]).read_text(encoding="utf-8")
    assert caption.strip().endswith("@amnesty @amnesty_pl #StandWithBelarus #FreeMedics")

    [spec] = plan_posts(with_kit(PostRequest(formats=("instagram-portrait",)), load_kit(kit), set()))
    assert spec.style == "banner" and spec.palette.panel == (0x1D, 0x1D, 0x1B)
    rendered = render(spec)
    assert rendered.text_colour == (255, 255, 255)
    between = (rendered.message_box.bottom + rendered.tag_box.top) // 2
    rule = rendered.image.getpixel(((rendered.panel.left + rendered.panel.right) // 2, between))
    assert rule == (255, 255, 0)  # the accent colour draws the rule
    logo = rendered.logo
    assert logo.width == round(0.2 * 1080) and logo.overlaps(rendered.panel) is False
    assert rendered.image.getpixel(((logo.left + logo.right) // 2, (logo.top + logo.bottom) // 2)) == LOGO_YELLOW
    corner = rendered.image.getpixel((logo.left + 1, logo.top + 1))
    assert corner != LOGO_YELLOW  # the PNG's transparent corner shows the picture through
    safe = spec.format.safe_zone.box(spec.format.size)
    assert safe[0] <= logo.left and safe[1] <= logo.top and logo.right <= safe[2] and logo.bottom <= safe[3]


def test_the_logo_moves_off_the_text(tmp_path, kit):
    """Asked for the corner the panel is in, the logo takes the nearest clear one."""
    request = with_kit(PostRequest(formats=("instagram-portrait",), style="card"), load_kit(kit), {"style"})
    for position in ("top-left", "top-right", "bottom-left", "bottom-right"):
        logo = load_kit(kit).logo
        from dataclasses import replace

        [spec] = plan_posts(replace(request, logo=replace(logo, position=position)))
        rendered = render(spec)
        assert not rendered.logo.overlaps(rendered.panel), position


def test_the_command_line_overrides_the_kit(run, tmp_path, kit):
    result = run("make", "--kit", str(kit), "-s", "card", "-l", "en", "-m", "Thank you!", "--tag", "@medics_by",
                 "-F", "instagram-square", "--json", "-q")
    assert result.exit_code == 0, result.output
    [post] = json.loads(result.stdout)["posts"]
    assert post["language"] == "en" and post["message"] == "Thank you!"  # -m replaces the kit's template
    caption = Path(post["caption_file"]).read_text(encoding="utf-8")
    assert "@medics_by" in caption and "@amnesty_pl" not in caption and "#FreeMedics" in caption
    request = with_kit(PostRequest(style="card"), load_kit(kit), {"style"})
    assert request.style == "card" and request.palette is not None  # colours and logo still come from the kit


def test_the_logo_file_is_part_of_the_post_name(tmp_path, kit):
    [before] = plan_posts(with_kit(PostRequest(), load_kit(kit), set()))
    write_logo(tmp_path / "art" / "logo.png", colour=(0, 200, 255))
    [after] = plan_posts(with_kit(PostRequest(), load_kit(kit), set()))
    assert before.name != after.name
    [plain] = plan_posts(PostRequest())
    assert plain.name == plan_posts(PostRequest())[0].name and plain.name != before.name


@pytest.mark.parametrize("colours", [
    {"panel": "#808080", "text": "#8a8a8a"},  # grey on grey: the text turns black or white
    {"panel": "#767676", "text": "#7a7a7a"},  # a mid-grey on which neither quite reaches AA: the panel deepens
    {"panel": "#ffffff", "text": "#ffff00"},  # yellow on white
])
def test_a_kit_with_unreadable_colours_still_gets_aa_contrast(tmp_path, backdrop_photo, colours):
    lines = "\n".join(f'{key} = "{value}"' for key, value in colours.items())
    kit = write_kit(tmp_path, f"[colours]\n{lines}\n")
    for style in ("card", "banner", "polaroid", "white-red-white"):
        request = with_kit(PostRequest(flower=str(backdrop_photo), message="Дзякуй вам!", style=style,
                                       formats=("instagram-square", "x")), load_kit(kit), {"style"})
        for spec in plan_posts(request):
            rendered = render(spec)
            assert rendered.contrast >= MIN_CONTRAST, (style, colours)
            assert relative_luminance(rendered.text_colour) in (0.0, 1.0)  # fell back to black or white


def test_a_readable_kit_text_colour_is_kept(tmp_path):
    kit = write_kit(tmp_path, '[colours]\npanel = "#002a5c"\ntext = "#ffd200"\n')
    [spec] = plan_posts(with_kit(PostRequest(formats=("instagram-square",)), load_kit(kit), set()))
    assert solid_contrast((0xFF, 0xD2, 0x00), (0x00, 0x2A, 0x5C)) >= 4.6
    assert render(spec).text_colour == (0xFF, 0xD2, 0x00)


def test_a_kit_in_a_campaign_file_under_each_row(run, tmp_path, kit):
    rows = "id,message,kit,style\nr1,Дзякуй!,campaign.toml,\nr2,Дзякуй!,campaign.toml,card\n"
    (tmp_path / "c.csv").write_text(rows, encoding="utf-8")
    result = run("batch", "c.csv", "-j", "1", "--json", "-q")
    assert result.exit_code == 0, result.output
    posts = json.loads(result.stdout)["posts"]
    assert [post["row_id"] for post in posts] == ["r1", "r2"]
    assert all("-message-be-" in post["image"] for post in posts)  # the kit's language, the row's message


def test_a_bad_kit_in_a_campaign_row_names_the_row_and_column(run, tmp_path):
    write_kit(tmp_path, '[colours]\npanel = "#12"\n', "bad.toml")
    (tmp_path / "c.csv").write_text("id,message,kit\nr1,Hello,bad.toml\n", encoding="utf-8")
    result = run("batch", "c.csv", "-j", "1")
    assert result.exit_code == 1
    assert "Error: c.csv:2:kit: kit bad.toml: colours.panel: '#12' is not a colour; write it like \"#1d1d1b\"\n" \
        in result.stderr


BAD_KITS = [
    ('[colours]\npanel = "#12"\n', 'colours.panel: \'#12\' is not a colour; write it like "#1d1d1b"'),
    ('[colours]\ntext = 12\n', 'colours.text: 12 is not a colour; write it like "#1d1d1b"'),
    ('[colours]\nbackground = "#ffffff"\n', "colours.background: unknown colour; a kit may set: panel, text, accent"),
    ('colours = "red"\n', 'colours: must be a table, like [colours] panel = "#1d1d1b"'),
    ('shape = "round"\n', "unknown key 'shape'; a kit may set: style, font, lang, template, tags, hashtags, colours, "
                          "logo"),
    ('stlye = "banner"\n', "unknown key 'stlye'; did you mean 'style'?"),
    ('hashtag = ["#A"]\nhashtags = ["#B"]\n', "'hashtags' and 'hashtag' are the same key; keep one of them"),
    ('[colours]\npanle = "#ffffff"\n', "colours.panle: unknown colour; did you mean 'panel'?"),
    ('[logo]\nfile = "logo.png"\npostion = "top-left"\n', "logo.postion: unknown key; did you mean 'position'?"),
    ('style = "fancy"\n', "style: unknown style 'fancy'; choose one of: card, light-card, banner, scrim, polaroid, "
                          "white-red-white"),
    ("style = 3\n", 'style: 3 is not text; write it like style = "banner"'),
    ('lang = "xx"\n', "lang: unknown language 'xx'; choose one of: "),
    ('template = "no-such-template"\n', "template: "),
    ('tags = "@ok"\nhashtags = [1]\n', 'hashtags: [1] is not a list of text; write it like hashtags = ["#FreeMedics"]'),
    ('tags = ["not ok!"]\n', "tags: 'not ok!': use letters, digits and underscores only, like @amnesty_pl"),
    ('font = "missing.ttf"\n', "font: missing.ttf: no such file (paths are relative to the kit file)"),
    ('font = "notafont.ttf"\n', "font: notafont.ttf: not a TrueType/OpenType font file that can be opened"),
    ('[logo]\nposition = "top-left"\n', 'logo.file: missing; write it like file = "logo.png"'),
    ('[logo]\nfile = "gone.png"\n', "logo.file: gone.png: no such file (paths are relative to the kit file)"),
    ('[logo]\nfile = "notafont.ttf"\n', "logo.file: notafont.ttf: not a PNG, JPEG or WebP picture that can be opened"),
    ('[logo]\nfile = "logo.png"\nposition = "middle"\n',
     "logo.position: 'middle' must be one of top-left, top-right, bottom-left, bottom-right"),
    ('[logo]\nfile = "logo.png"\nwidth = 0\n',
     "logo.width: 0 must be a number from 0.03 to 0.5 (a fraction of the canvas width), like 0.18"),
    ('[logo]\nfile = "logo.png"\nwidth = "big"\n',
     "logo.width: 'big' must be a number from 0.03 to 0.5 (a fraction of the canvas width), like 0.18"),
    ('[logo]\nfile = "logo.png"\nsize = 1\n', "logo.size: unknown key; a logo may set: file, position, width"),
    ('style = "banner\n', "not valid TOML ("),
]


@pytest.mark.parametrize("text, error", BAD_KITS, ids=[error.split(":")[0][:30] for _, error in BAD_KITS])
def test_a_bad_kit_value_is_one_line_naming_the_key(run, tmp_path, text, error):
    write_logo(tmp_path / "logo.png")
    (tmp_path / "notafont.ttf").write_bytes(b"this is not a font")
    write_kit(tmp_path, text)
    result = run("make", "--kit", "campaign.toml")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: kit campaign.toml: {error}")
    assert result.stderr.count("\n") == 1  # one line, no traceback
    assert files_in(tmp_path / "output") == []


def test_a_missing_kit_file(run, tmp_path):
    result = run("make", "--kit", "nowhere.toml")
    assert result.exit_code == 2
    assert result.stderr == "Error: kit nowhere.toml: no such file\n"


def test_apply_kit_keeps_what_the_row_gave():
    class FakeKit:
        def defaults(self):
            return {"style": "banner", "template": "thank-you", "language": "be"}

    fields = apply_kit(FakeKit(), {"message": "Hi", "style": "card"}, {"message", "style"})
    assert fields == {"message": "Hi", "style": "card", "template": None, "language": "be"}


def test_a_kit_takes_make_s_own_spellings_singular_or_plural(tmp_path):
    write_kit(tmp_path, 'Language = "be"\ntag = "@amnesty_pl"\nhashtag = ["FreeMedics"]\n[colors]\npanel = "#1d1d1b"\n')
    loaded = load_kit(tmp_path / "campaign.toml")
    assert (loaded.language, loaded.tags, loaded.hashtags) == ("be", ("@amnesty_pl",), ("#FreeMedics",))
    assert loaded.palette is not None
