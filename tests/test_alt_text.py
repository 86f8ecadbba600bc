"""Alt text for the people who hear the picture: every language describes it as fully as English does.

The word stems below (a | between forms a stem cannot cover) are written by hand from each language, not
read from the catalogue, so a description that loses its species, colours, composition or ribbon fails here.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.describe import Picture
from generator.flowers import bundled, resolve_flower
from generator.flowers.grow import COMPOSITIONS, PALETTES, SPECIES, picture
from generator.formats import FORMATS
from generator.messages import alt_text, check_limit, languages
from generator.spec import PostRequest, plan_posts

LANGUAGES = ("be", "ru", "uk", "pl", "lt", "en", "de", "cs", "fr", "es", "ar")

SPECIES_STEMS = {
    "be": {"cornflower": "васіл", "chamomile": "рамон", "poppy": "мак", "tulip": "цюльпан", "rose": "руж",
           "carnation": "гваздзік", "lily-of-the-valley": "ландыш", "sunflower": "сланечнік"},
    "ru": {"cornflower": "васил", "chamomile": "ромаш", "poppy": "мак", "tulip": "тюльпан", "rose": "роз",
           "carnation": "гвоздик", "lily-of-the-valley": "ландыш", "sunflower": "подсолну"},
    "uk": {"cornflower": "волош", "chamomile": "ромаш", "poppy": "мак", "tulip": "тюльпан", "rose": "троянд",
           "carnation": "гвоздик", "lily-of-the-valley": "конвал", "sunflower": "соняшник"},
    "pl": {"cornflower": "chab", "chamomile": "rumian", "poppy": "mak", "tulip": "tulipan", "rose": "róż",
           "carnation": "goździk", "lily-of-the-valley": "konwali", "sunflower": "słonecznik"},
    "lt": {"cornflower": "rugiagėl", "chamomile": "ramun", "poppy": "aguon", "tulip": "tulp", "rose": "rož",
           "carnation": "gvazdik", "lily-of-the-valley": "pakalnu", "sunflower": "saulėgrąž"},
    "en": {"cornflower": "cornflower", "chamomile": "chamomile", "poppy": "popp", "tulip": "tulip", "rose": "rose",
           "carnation": "carnation", "lily-of-the-valley": "lily of the valley", "sunflower": "sunflower"},
    "de": {"cornflower": "Kornblume", "chamomile": "Kamille", "poppy": "Mohnblume", "tulip": "Tulpe", "rose": "Rose",
           "carnation": "Nelke", "lily-of-the-valley": "Maiglöckchen", "sunflower": "Sonnenblume"},
    "cs": {"cornflower": "chrp", "chamomile": "heřmán", "poppy": "mák", "tulip": "tulipán", "rose": "růž",
           "carnation": "karafiát", "lily-of-the-valley": "konvalin", "sunflower": "slunečnic"},
    "fr": {"cornflower": "bleuet", "chamomile": "camomille", "poppy": "coquelicot", "tulip": "tulipe", "rose": "rose",
           "carnation": "œillet", "lily-of-the-valley": "muguet", "sunflower": "tournesol"},
    "es": {"cornflower": "aciano", "chamomile": "manzanilla", "poppy": "amapola", "tulip": "tulip", "rose": "rosa",
           "carnation": "clavel", "lily-of-the-valley": "lirio", "sunflower": "girasol"},
    "ar": {"cornflower": "القنطريون", "chamomile": "البابونج", "poppy": "شقائق النعمان", "tulip": "التوليب",
           "rose": "وردة|وردات|الورود", "carnation": "القرنفل", "lily-of-the-valley": "زنبق الوادي",
           "sunflower": "دوار الشمس"},
}
COLOUR_STEMS = {
    "be": {"white": "бел", "red": "чырвон", "blue": "сін", "pink": "ружов", "yellow": "жоўт"},
    "ru": {"white": "бел", "red": "красн", "blue": "син", "pink": "розов", "yellow": "жёлт"},
    "uk": {"white": "біл", "red": "червон", "blue": "син", "pink": "рожев", "yellow": "жовт"},
    "pl": {"white": "biał", "red": "czerwon", "blue": "niebiesk", "pink": "różow", "yellow": "żółt"},
    "lt": {"white": "balt", "red": "raudon", "blue": "mėlyn", "pink": "rožin", "yellow": "gelton"},
    "en": {"white": "white", "red": "red", "blue": "blue", "pink": "pink", "yellow": "yellow"},
    "de": {"white": "weiß", "red": "rot", "blue": "blau", "pink": "rosa", "yellow": "gelb"},
    "cs": {"white": "bíl", "red": "červen", "blue": "modr", "pink": "růžov", "yellow": "žlut"},
    "fr": {"white": "blanc", "red": "rouge", "blue": "bleu", "pink": "rose", "yellow": "jaune"},
    "es": {"white": "blanc", "red": "roj", "blue": "azul", "pink": "rosa", "yellow": "amarill"},
    "ar": {"white": "بيضاء", "red": "حمراء", "blue": "زرقاء", "pink": "وردية", "yellow": "صفراء"},
}
#                 drawing        bouquet     meadow     ribbon      the flag the ribbon stands for   photo
WORDS = {
    "be": ("Малюнак", "букет", "поле", "стужк", "сцяга", "Фотаздымак"),
    "ru": ("Рисунок", "букет", "поле", "лент", "флага", "Фотография"),
    "uk": ("Малюнок", "букет", "поле", "стрічк", "прапора", "Фотографія"),
    "pl": ("Rysunek", "bukiet", "łąka", "wstążk", "flagi", "Zdjęcie"),
    "lt": ("Piešinys", "puokštė", "pieva", "kaspin", "vėliavos", "nuotrauka"),
    "en": ("illustration", "bouquet", "meadow", "ribbon", "flag", "photo"),
    "de": ("Zeichnung", "Strauß", "Wiese", "Band", "Flagge", "Foto"),
    "cs": ("Ilustrace", "kytice", "louka", "stuh", "vlajky", "Fotografie"),
    "fr": ("Illustration", "bouquet", "prairie", "ruban", "drapeau", "Photo"),
    "es": ("Ilustración", "ramo", "prado", "cinta", "bandera", "Foto"),
    "ar": ("رسم", "باقة", "مرج", "بشريط", "العلم", "صورة"),
}
TAGS = ("@amnesty", "#StandWithBelarus")


@cache
def _pictures() -> tuple[Picture, ...]:
    """Every bundled flower, and every species grown in every composition and palette (a few seeds, so that
    every bouquet size and every light is met)."""
    grown = tuple(picture(species, seed, (1080, 1350), composition, palette)
                  for species in SPECIES for composition in COMPOSITIONS for palette in PALETTES for seed in (0, 1, 2))
    return tuple(resolve_flower(name).picture for name in bundled()) + grown


def _messages(code: str) -> list[str]:
    templates = languages()[code].messages.values()
    return [template.render(values) for template in templates for values in ({}, {"name": "Ганна", "city": "Мінск"})]


def test_the_pictures_cover_every_composition_palette_count_and_light():
    pictures = _pictures()
    assert {p.composition for p in pictures} == set(COMPOSITIONS)
    assert {p.ribbon for p in pictures} == {None, "linen", "white-red-white"}
    assert {p.count for p in pictures if p.composition == "bouquet"} == {3, 4, 5, 6, 7}
    assert {p.mood for p in pictures} == {"morning", "golden", "dusk", "forest", "mist", "linen", "charcoal"}
    assert any(p.behind for p in pictures)


def test_the_bundled_flowers_are_described_as_they_were_grown():
    flower = resolve_flower("carnation-white-red-white").picture
    assert flower == Picture("drawing", "carnation", "bouquet", ("white", "red"), count=5,
                             ribbon="white-red-white", mood="mist")
    assert resolve_flower("poppy-meadow").picture.composition == "meadow"
    assert resolve_flower("grow:rose:4").picture.species == "rose"


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_language_describes_every_picture_fully(code):
    drawing, bouquet, meadow, ribbon, flag, _ = WORDS[code]
    language = languages()[code]
    message = _messages(code)[1]
    for shown in _pictures():
        alt = alt_text(language, message, shown)
        where = (code, shown, alt)
        folded = alt.casefold()
        assert drawing.casefold() in folded, where
        assert re.search(SPECIES_STEMS[code][shown.species].casefold(), folded), where
        for colour in (*shown.colours, *shown.behind):
            assert COLOUR_STEMS[code][colour].casefold() in folded, where
        assert (bouquet.casefold() in folded) == (shown.composition == "bouquet"), where
        assert (meadow.casefold() in folded) == (shown.composition == "meadow"), where
        assert (ribbon.casefold() in folded) == (shown.ribbon is not None), where
        assert (flag.casefold() in folded) == (shown.ribbon == "white-red-white"), where
        assert re.search(r"\{|\}|None", alt) is None, where  # no placeholder left unfilled


@pytest.mark.parametrize("code", LANGUAGES)
def test_alt_text_has_no_tags_ends_with_one_full_stop_and_fits_every_platform(code):
    language = languages()[code]
    limited = [f for f in FORMATS.values() if f.alt_limit]
    for message in _messages(code):
        for shown in (*_pictures(), Picture("photo")):
            alt = alt_text(language, message, shown)
            assert not any(tag.casefold() in alt.casefold() for tag in TAGS), alt
            assert alt.endswith(".") and not re.search(r"\.[\s»”“\"]*\.$", alt), alt
            assert "\n" not in alt and "  " not in alt, alt
            for preset in limited:
                check_limit("alt text", alt, preset.alt_limit, "characters", preset.name)


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_post_s_alt_text_leaves_the_tags_to_the_caption(code):
    [spec] = plan_posts(PostRequest(language=code, template="not-alone", flower="rose-white-red-white",
                                    formats=("x",), tags=("@amnesty",), hashtags=("#StandWithBelarus",)))
    assert "@amnesty" in spec.caption and "#StandWithBelarus" in spec.caption
    assert "@amnesty" not in spec.alt_text and "#StandWithBelarus" not in spec.alt_text
    assert re.search(SPECIES_STEMS[code]["rose"].casefold(), spec.alt_text.casefold())
    assert WORDS[code][4] in spec.alt_text  # the ribbon's flag


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_photo_is_described_as_a_photo(code):
    alt = alt_text(languages()[code], "Дзякуй!", Picture("photo"))
    assert WORDS[code][5].casefold() in alt.casefold() and WORDS[code][0] not in alt


def test_a_message_ending_with_its_own_mark_gets_no_full_stop_after_it():
    english, french = languages()["en"], languages()["fr"]
    assert alt_text(english, "Thank you!", Picture("photo")) == "A photo of a flower. The words on it: “Thank you!”"
    assert alt_text(english, "Thank you.", Picture("photo")) == "A photo of a flower. The words on it: “Thank you”."
    assert alt_text(english, "Wait...", Picture("photo")).endswith("“Wait...”.")
    assert alt_text(french, "Merci\u202f!", Picture("photo")).endswith("«\u00a0Merci\u202f!\u00a0»")


@pytest.mark.parametrize(("code", "expected"), [
    ("en", "An illustration of a bouquet of five white and red carnations on a calm, misty background, tied with a "
           "white-red-white ribbon, the colours of the historic Belarusian flag"),
    ("ru", "Рисунок: букет из пяти белых и красных гвоздик на спокойном туманном фоне, перевязанный "
           "бело-красно-белой лентой: это цвета исторического белорусского флага"),
    ("be", "Малюнак: букет з пяці белых і чырвоных гваздзікоў на спакойным туманным фоне, перавязаны "
           "бела-чырвона-белай стужкай: гэта колеры гістарычнага беларускага сцяга"),
    ("pl", "Rysunek: bukiet z pięciu białych i czerwonych goździków na spokojnym, mglistym tle, przewiązany "
           "biało-czerwono-białą wstążką: to barwy historycznej flagi Białorusi"),
    ("lt", "Piešinys: penkių baltų ir raudonų gvazdikų puokštė ramiame, miglotame fone, perrišta baltai raudonai "
           "baltu kaspinu: tai istorinės Baltarusijos vėliavos spalvos"),
    ("de", "Zeichnung: ein Strauß aus fünf weißen und roten Nelken vor einem ruhigen, nebligen Hintergrund, gebunden "
           "mit einem weiß-rot-weißen Band, den Farben der historischen belarussischen Flagge"),
    ("cs", "Ilustrace: kytice z pěti bílých a červených karafiátů na klidném mlhavém pozadí, převázaná "
           "bílo-červeno-bílou stuhou: to jsou barvy historické běloruské vlajky"),
    ("fr", "Illustration\u00a0: un bouquet de cinq œillets blancs et rouges sur un fond calme et brumeux, noué d’un "
           "ruban blanc-rouge-blanc, aux couleurs du drapeau historique bélarusse"),
    ("ar", "رسم لباقة من خمس زهرات بيضاء وحمراء من القرنفل على خلفية هادئة ضبابية، مربوطة بشريط أبيض وأحمر وأبيض، "
           "بألوان العلم البيلاروسي التاريخي"),
])
def test_the_white_red_white_carnation_bouquet_word_for_word(code, expected):
    alt = alt_text(languages()[code], "M", resolve_flower("carnation-white-red-white").picture)
    assert alt.startswith(expected + ". ")


@pytest.mark.parametrize(("code", "count", "expected"), [
    ("cs", 3, "kytice ze tří"), ("cs", 5, "kytice z pěti"), ("cs", 7, "kytice ze sedmi"),
    ("ru", 3, "букет из трёх"), ("uk", 5, "букет із пʼяти"), ("de", 6, "Strauß aus sechs"), ("ar", 7, "من سبع زهرات"),
])
def test_bouquet_counts_take_the_preposition_and_case_they_need(code, count, expected):
    shown = Picture("drawing", "tulip", "bouquet", ("red",), count=count, ribbon="linen", mood="golden")
    assert expected in alt_text(languages()[code], "M", shown)


@pytest.mark.parametrize(("code", "gender_phrase"), [
    ("ru", "белая роза на спокойном тёмном фоне, а за ней — красные"),
    ("be", "белая ружа на спакойным цёмным фоне, а за ёй — чырвоныя"),
    ("lt", "balta rožė ramiame tamsiame fone, o už jos – raudonos"),
    ("fr", "une rose blanche sur un fond calme et sombre, avec d’autres fleurs rouges derrière"),
    ("de", "eine weiße Rose vor einem ruhigen, dunklen Hintergrund, dahinter weitere in Rot"),
])
def test_a_single_bloom_with_others_behind_it_agrees_with_its_gender(code, gender_phrase):
    shown = Picture("drawing", "rose", "single", ("white",), behind=("red",), mood="charcoal")
    assert gender_phrase in alt_text(languages()[code], "M", shown)


def test_a_campaign_folder_may_change_one_word_of_the_picture(tmp_path):
    (tmp_path / "en.toml").write_text('language = "en"\n[picture.moods]\nmorning = "at dawn"\n', encoding="utf-8")
    english = languages(tmp_path)["en"]
    shown = Picture("drawing", "rose", "single", ("red",), mood="morning")
    assert alt_text(english, "M", shown).startswith("An illustration of a red rose at dawn. ")
    assert english.flowers["rose"] == "rose"  # the rest of the picture words are the bundled ones


@settings(max_examples=150, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=400))
def test_any_message_gives_one_sentence_end_and_no_tags(text):
    from generator.layout import collapse_spaces

    message = collapse_spaces(text)
    assume(message)
    shown = resolve_flower("tulip-white-red-white").picture
    for code in LANGUAGES:
        alt = alt_text(languages()[code], message, shown)
        assert "\n" not in alt and WORDS[code][1].casefold() in alt.casefold()
        own_mark = re.search(r"[!?؟][\u00a0\u202f]?$", message)
        assert alt.endswith(".") != bool(own_mark), (code, message, alt)
        if not message.endswith(".."):
            assert not re.search(r"\.[\s»”“\"\u00a0]*\.$", alt), (code, message, alt)


def test_a_campaign_s_broken_picture_words_get_a_clear_error_not_a_loop(tmp_path):
    from generator.errors import TemplateError

    (tmp_path / "en.toml").write_text('language = "en"\n[picture.species.rose]\none = "{species} again"\n',
                                      encoding="utf-8")
    shown = Picture("drawing", "rose", "single", ("red",), mood="morning")
    with pytest.raises(TemplateError, match=r"^alt text \(en\): a species form may hold only \{colours\}$"):
        alt_text(languages(tmp_path)["en"], "M", shown)
    other = tmp_path / "other"
    other.mkdir()
    (other / "en.toml").write_text('language = "en"\n[picture]\nsingle = "A {nonsense}"\n', encoding="utf-8")
    with pytest.raises(TemplateError, match=r"^alt text \(en\): unknown placeholder \{nonsense\}$"):
        alt_text(languages(other)["en"], "M", shown)


def test_a_campaign_s_own_alt_template_may_still_name_the_tags(tmp_path):
    alt = "alt = \"{{ picture }}. {{ message }} ({{ tags | join(' ') }}).\"\n"
    (tmp_path / "en.toml").write_text('language = "en"\n' + alt, encoding="utf-8")
    [spec] = plan_posts(PostRequest(templates=str(tmp_path), message="Hi", formats=("x",), flower="rose"))
    assert spec.alt_text == ("An illustration of a red rose in the shade of a green garden. "
                             "Hi (@amnesty #StandWithBelarus).")
