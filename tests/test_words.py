"""The catalogue's words as native readers read them: signatures, no-break spaces, and the slips they found."""

from __future__ import annotations

import pytest

from generator import fonts
from generator.compose import render
from generator.layout import balanced_lines, collapse_spaces, greedy_lines, hyphenator, paragraphs
from generator.messages import find_template, languages, literal_message
from generator.spec import PostRequest, plan_posts

NBSP, NNBSP = "\u00a0", "\u202f"

# The dash that opens a signature line, as each language's typography has it.
SIGNATURE_DASH = {"be": "— ", "ru": "— ", "uk": "— ", "en": "— ", "es": "— ", "ar": "— ", "fr": f"—{NBSP}",
                  "pl": "– ", "lt": "– ", "de": "– ", "cs": "– "}


def _text(code: str, template: str, **values: str) -> str:
    return find_template(template, code).render(values)


# --- signatures --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("code", sorted(SIGNATURE_DASH))
def test_every_message_is_signed_with_the_language_s_own_dash_and_comma(code):
    comma = "،" if code == "ar" else ","
    for template in languages()[code].messages:
        signed = _text(code, template, name="Ганна", city="Мінск")
        assert signed.splitlines()[-1] == f"{SIGNATURE_DASH[code]}Ганна{comma} Мінск", (template, signed)
        assert _text(code, template, name="Ганна").splitlines()[-1] == f"{SIGNATURE_DASH[code]}Ганна"
        assert "\n" not in _text(code, template)


@pytest.mark.parametrize("code", sorted(SIGNATURE_DASH))
def test_a_city_without_a_name_still_signs_the_message(code):
    for template in languages()[code].messages:
        assert _text(code, template, city="Гродна").splitlines()[-1] == f"{SIGNATURE_DASH[code]}Гродна"


def test_a_city_alone_reaches_the_post_and_its_alt_text():
    [spec] = plan_posts(PostRequest(template="thank-you", variables={"city": "Vilnius"}, formats=("x",)))
    assert spec.message.endswith("\n— Vilnius")
    assert "— Vilnius”." in spec.alt_text


# --- no-break spaces ---------------------------------------------------------------------------------------

def test_typed_messages_keep_their_no_break_spaces():
    typed = f"«{NBSP}Merci{NNBSP}!{NBSP}»  à   tous\n\n10{NNBSP}000 soignants"
    assert literal_message(typed) == f"«{NBSP}Merci{NNBSP}!{NBSP}» à tous\n10{NNBSP}000 soignants"
    assert collapse_spaces(f" a{NBSP}b \t c ") == f"a{NBSP}b c"
    assert paragraphs(f"a{NBSP}b c\n\nd") == [[f"a{NBSP}b", "c"], ["d"]]


def test_no_break_spaces_survive_the_template_sandbox_caption_and_alt_text():
    [spec] = plan_posts(PostRequest(language="fr", template="thank-you", variables={"name": f"Jean{NBSP}Dupont"},
                                    formats=("x",)))
    assert spec.message.endswith(f"—{NBSP}Jean{NBSP}Dupont")
    assert f"—{NBSP}Jean{NBSP}Dupont" in spec.caption and f"—{NBSP}Jean{NBSP}Dupont{NBSP}»." in spec.alt_text
    [typed] = plan_posts(PostRequest(language="fr", message=f"«{NBSP}Merci{NNBSP}!{NBSP}»", formats=("x",)))
    assert typed.message == f"«{NBSP}Merci{NNBSP}!{NBSP}»"
    assert typed.caption.startswith(typed.message) and f"«{NBSP}«{NBSP}Merci{NNBSP}!{NBSP}»{NBSP}»" in typed.alt_text


def test_french_catalogue_punctuation_has_its_no_break_spaces():
    assert f"soigné{NBSP}: vous" in _text("fr", "not-alone")
    alt = plan_posts(PostRequest(language="fr", formats=("x",)))[0].alt_text
    assert alt.startswith(f"Illustration{NBSP}: ") and f"Texte{NBSP}: «{NBSP}" in alt and alt.endswith(f"{NBSP}».")


def _measure(text: str, size: int) -> float:
    return float(len(text) * size)  # every character one size wide: breaks are easy to predict


@pytest.mark.parametrize("hyphenate", [None, hyphenator("fr")], ids=["no hyphenation", "French hyphenation"])
@pytest.mark.parametrize("width", [3, 5, 8, 12, 20])
def test_a_line_never_breaks_at_a_no_break_space(hyphenate, width):
    text = f"«{NBSP}Merci{NNBSP}! Vous n’êtes pas seuls{NBSP}» dit-elle, 10{NNBSP}000{NBSP}fois{NNBSP}!"
    for wrap in (greedy_lines, balanced_lines):
        lines = wrap(text, width, 1, _measure, hyphenate)
        for line in lines:
            assert line[0] not in NBSP + NNBSP and line[-1] not in NBSP + NNBSP, (wrap.__name__, lines)
            assert not line.startswith(("!", "»")), (wrap.__name__, lines)


def test_a_rendered_french_post_keeps_no_break_spaces_inside_its_lines():
    message = f"«{NBSP}Merci à vous, soignantes et soignants du Bélarus{NNBSP}!{NBSP}» Vous n’êtes pas seuls{NNBSP}!"
    for spec in plan_posts(PostRequest(language="fr", message=message, formats=("instagram-story", "x"))):
        lines = render(spec).message.lines
        assert collapse_spaces(" ".join(lines)) == message
        assert all(line[0] not in NBSP + NNBSP and line[-1] not in NBSP + NNBSP for line in lines), lines
        assert not any(line.startswith(("!", "»")) for line in lines), lines


def test_the_fonts_draw_both_no_break_spaces():
    chain = fonts.chain_for(fonts.MESSAGE_WEIGHT)
    assert chain.measure(f"a{NBSP}b", 40) > chain.measure("ab", 40)
    assert chain.measure(f"a{NNBSP}b", 40) > chain.measure("ab", 40)


# --- the slips a native-level read found (issue 12) --------------------------------------------------------

@pytest.mark.parametrize(("code", "template", "expected"), [
    ("fr", "not-alone", f"À celles et ceux qui ont été punis pour avoir soigné{NBSP}: vous n’êtes pas seuls."),
    ("fr", "thank-you", "merci d’avoir soigné toutes celles et tous ceux qui avaient besoin de vous."),
    ("de", "not-alone", "An alle Ärztinnen, Ärzte und Pflegekräfte, die bestraft wurden, weil sie anderen geholfen "
                        "haben: Ihr seid nicht allein."),
    ("de", "hippocratic", "Ärztinnen und Ärzte schwören, allen Kranken zu helfen. Wer diesen Eid hält,"),
    ("de", "a-flower-for-you", "die auch dann Menschen behandelt haben, als Helfen gefährlich war."),
    ("es", "not-alone", "A los médicos y enfermeras castigados por ayudar a los demás: no están solos."),
    ("es", "hippocratic", "Cumplir ese juramento nunca debe castigarse."),
    ("be", "a-flower-for-you", "нават калі дапамагаць было небяспечна."),
])
def test_the_slips_are_fixed_word_for_word(code, template, expected):
    assert expected in _text(code, template)


@pytest.mark.parametrize(("code", "template", "wrong"), [
    ("fr", "not-alone", "toutes celles et ceux"), ("de", "hippocratic", "geloben"),
    ("de", "a-flower-for-you", "heilten"),
    ("es", "hippocratic", "debería"), ("be", "a-flower-for-you", "клапаціцца"),
])
def test_the_slips_are_gone(code, template, wrong):
    assert wrong not in _text(code, template)


def test_the_polish_free_to_heal_title_and_the_arabic_poppy():
    assert languages()["pl"].messages["free-to-heal"].title == "Leczyć bez strachu"
    assert languages()["ar"].flowers["poppy"] == "شقائق النعمان"
    assert "الخشخاش" not in plan_posts(PostRequest(language="ar", flower="poppy", formats=("x",)))[0].alt_text
    assert "شقائق النعمان" in plan_posts(PostRequest(language="ar", flower="poppy", formats=("x",)))[0].alt_text


def test_the_french_alt_text_does_not_say_published_with_amnesty():
    alt = plan_posts(PostRequest(language="fr", formats=("x",)))[0].alt_text
    assert "Publié" not in alt and "amnesty" not in alt.lower()


NURSES = {"be": "медсёстры", "ru": "медсёстры", "uk": "медсестри", "pl": "pielęgniarki", "lt": "slaugytojai",
          "en": "nurses", "de": "Pflegekräfte", "cs": "zdravotní sestry", "fr": "infirmières et infirmiers",
          "es": "las enfermeras", "ar": "والممرضون"}


@pytest.mark.parametrize("code", sorted(NURSES))
def test_free_to_heal_names_doctors_and_nurses_in_every_language(code):
    assert NURSES[code] in _text(code, "free-to-heal")


def _ink_columns(image) -> list[bool]:
    grey = image.convert("L")
    width, height = grey.size
    pixels = grey.load()
    return [any(pixels[x, y] < 128 for y in range(height)) for x in range(width)]


def test_an_arabic_signature_has_its_space_between_the_dash_and_the_name():
    from PIL import Image

    from generator.typeset import draw_line

    size = 60
    chain = fonts.chain_for(fonts.MESSAGE_WEIGHT)
    image = Image.new("RGB", (900, 120), "white")
    draw_line(image, chain, "— سارة، القاهرة", size, 20, 90, (0, 0, 0), rtl_paragraph=True)
    columns = _ink_columns(image)
    right = max(x for x, ink in enumerate(columns) if ink)
    dash_start = right
    while columns[dash_start - 1]:
        dash_start -= 1  # the dash: the rightmost stroke of ink
    name_end = max(x for x in range(dash_start - 1) if columns[x])
    assert dash_start - name_end > 0.15 * size  # a word space, not a dash glued to the name


def test_the_web_page_keeps_no_break_spaces_in_the_post_caption_and_alt_text():
    pytest.importorskip("flask")
    from generator.web import create_app

    message = f"«{NBSP}Merci{NNBSP}!{NBSP}»"
    response = create_app().test_client().post("/api/post", data={"message": message, "lang": "fr"},
                                               content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)
    [post] = response.get_json()["posts"]
    assert post["caption"].startswith(message) and f"«{NBSP}{message}{NBSP}»" in post["alt_text"]
