"""Hostile and runaway templates end in a clear error: never code execution, a hang or exhausted memory."""

from __future__ import annotations

import pytest

from generator.errors import TemplateError
from generator.messages import render_sandboxed

# Known server-side template injection payloads for Jinja, and resource-exhaustion attempts.
INJECTION_PAYLOADS = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__.__base__.__subclasses__() }}",
    "{{ ().__class__.__bases__[0].__subclasses__() }}",
    "{{ self.__init__.__globals__.__builtins__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__.os.system('id') }}",
    "{{ namespace.__init__.__globals__.os.popen('id').read() }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ request.application.__globals__.__builtins__.__import__('os') }}",
    "{{ config.items() }}",
    "{{ ''|attr('__class__') }}",
    "{{ (''|attr('\\x5f\\x5fclass\\x5f\\x5f')) }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{{ [].pop.__self__ }}",
    "{% set x = ''.format.__globals__ %}{{ x }}",
    "{{ '{0.__class__}'.format('') }}",
    "{{ ''.join.__doc__ }}{{ ''.__doc__.__class__ }}",
]

RUNAWAY_PAYLOADS = [
    "{% for i in range(100000000) %}x{% endfor %}",
    "{% for i in range(9999) %}{% for j in range(9999) %}{% endfor %}{% endfor %}",
    "{{ 'x' * 1000000000 }}",
    "{{ 'x'|center(1000000000) }}",
    "{{ 'ab'|indent(1000000000) }}",
    "{{ 'x'.ljust(1000000000) }}",
    "{{ 2 ** 100000000 }}",
    "{{ (9 ** 9) ** (9 ** 9) }}",
    "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "{% for i in range(9999) %}{{ 'word ' * 100 }}{% endfor %}",
    "{{ range(10)|list * 100000000 }}",
]


@pytest.mark.parametrize("payload", INJECTION_PAYLOADS)
def test_injection_payloads_are_refused_or_harmless(payload):
    try:
        text = render_sandboxed(payload, {}, "evil.j2")
    except TemplateError as error:
        assert str(error).startswith("template evil.j2")
        assert "\n" not in str(error)
        return
    for leak in ("uid=", "<class 'subprocess", "<module", "__builtins__", "Popen", "os.py"):
        assert leak not in text


@pytest.mark.parametrize("payload", RUNAWAY_PAYLOADS)
def test_runaway_templates_stop_with_a_clear_error(payload):
    with pytest.raises(TemplateError) as error:
        render_sandboxed(payload, {}, "slow.j2")
    assert str(error.value).startswith("template slow.j2: ")
    assert "\n" not in str(error.value)


def test_an_ordinary_template_still_uses_loops_filters_and_macros():
    source = ("{% macro sign(n) %}— {{ n|title }}{% endmacro %}"
              "{% for who in ['doctors', 'nurses'] %}{{ who|upper }}{{ ', ' if not loop.last }}{% endfor %}"
              " {{ sign(name) }} {{ 'ok'|center(6) }}{{ range(3)|sum }}")
    assert render_sandboxed(source, {"name": "anna"}, "fine.j2") == "DOCTORS, NURSES — Anna   ok  3"


def test_a_campaign_catalogue_folder_adds_messages_and_keeps_the_bundled_ones(run, tmp_path):
    folder = tmp_path / "campaign"
    folder.mkdir()
    (folder / "en.toml").write_text('language = "en"\n[messages.vigil]\ntitle = "Vigil"\n'
                                    'text = "Tonight {{ town }} lights a candle for Belarusian medics."\n'
                                    'vars = { town = "our town" }\n', encoding="utf-8")
    listed = run("templates", "list", "--templates", str(folder), "-l", "en")
    assert "vigil" in listed.stdout and "thank-you" in listed.stdout
    made = run("make", "--templates", str(folder), "-t", "vigil", "--var", "town=Vilnius", "--json")
    assert made.exit_code == 0, made.output
    assert '"message": "Tonight Vilnius lights a candle for Belarusian medics."' in made.stdout


def test_a_broken_campaign_catalogue_names_the_file(run, tmp_path):
    folder = tmp_path / "campaign"
    folder.mkdir()
    (folder / "pl.toml").write_text('language = "pl"\n[messages.x]\ntext = "no title"\n', encoding="utf-8")
    result = run("make", "--templates", str(folder), "-l", "pl", "-t", "x")
    assert result.exit_code == 1
    assert result.stderr == f"Error: template catalogue {folder / 'pl.toml'}: missing the key 'title'\n"


def test_a_missing_catalogue_folder(run, tmp_path):
    result = run("make", "--templates", "nowhere")
    assert result.exit_code == 2
    assert result.stderr == f"Error: --templates {tmp_path / 'nowhere'}: no such folder\n"


MEMORY_PAYLOADS = [
    "{% set ns = namespace(x='ab') %}{% for i in range(40) %}{% set ns.x = ns.x ~ ns.x %}{% endfor %}{{ ns.x|length }}",
    "{{ ('a' * 9999)|replace('', 'b' * 9999) }}",
    "{{ '%999999999d'|format(1) }}",
    "{{ '%999999999d' % 1 }}",
    "{{ '{:999999999}'.format(1) }}",
]


@pytest.mark.parametrize("payload", MEMORY_PAYLOADS)
def test_templates_that_would_exhaust_memory_stop_early(payload):
    with pytest.raises(TemplateError) as error:
        render_sandboxed(payload, {}, "big.j2")
    assert str(error.value).startswith("template big.j2: ")


def test_filters_on_a_long_message_still_work():
    message = "Дзякуй " * 280  # close to the longest message a post takes
    assert render_sandboxed("{{ m|upper|replace('Д', 'д') }}", {"m": message}, "ok.j2").startswith("дЗЯКУЙ")


# --- the plain subset renders as Jinja does -------------------------------------------------------------------

PLAIN_TEMPLATES = [
    "Thank you, doctors.{% if name or city %}\n— {{ name }}{% if name and city %}, {% endif %}{{ city }}{% endif %}",
    "{{ message }}\n\n{{ tags | join(\" \") }}",
    "{{ picture }}. The words on it: “{{ message }}”.",
    "{{message}}{{ tags|join(\" · \") }}\n",
    "line\n\n",
    "{% if name %}{% if city %}{{ city }}{% endif %}!{% endif %}{{ name }}",
    "{% if name and city and message %}all{% endif %}",
    "}} and %} are text; so is { and %",
]
NOT_PLAIN = [
    "{{ none }}", "{{ name|upper }}", "{# a comment #}{{ name }}", "{{- name }}", "{% if name %}x",
    "x{% endif %}", "{% if name or city and message %}y{% endif %}", "{{ missing }}", "a\r\nb", "{{ tags }}",
    "{% if not name %}z{% endif %}", "{{ name }", "{% raw %}{{ name }}{% endraw %}",
]
VALUES = [
    {"name": "", "city": "", "message": "Дзякуй!", "tags": ("@amnesty", "#StandWithBelarus"), "picture": "a rose"},
    {"name": "Anna", "city": "", "message": "", "tags": (), "picture": ""},
    {"name": "", "city": "Minsk", "message": "m", "tags": ("#a",), "picture": "p"},
    {"name": "Anna", "city": "Minsk", "message": "Thank you", "tags": ["@x", "#y"], "picture": "{{ x }}"},
]


@pytest.mark.parametrize("source", PLAIN_TEMPLATES)
def test_plain_templates_render_exactly_as_jinja_renders_them(source):
    from generator import sandbox

    for values in VALUES:
        plain = sandbox._render_plain(source, values)
        assert plain is not None
        assert plain == sandbox._compiled(source).render(**values)


@pytest.mark.parametrize("source", NOT_PLAIN)
def test_anything_else_is_left_to_jinja(source):
    from generator import sandbox

    assert all(sandbox._render_plain(source, values) is None for values in VALUES)


def test_the_bundled_catalogue_renders_without_jinja_and_as_jinja_does():
    from generator import sandbox
    from generator.messages import languages

    for language in languages().values():
        values = {"message": "Дзякуй", "tags": ("@amnesty",), "picture": "a drawing"}
        for source in (language.caption, language.alt):
            assert sandbox._render_plain(source, values) == sandbox._compiled(source).render(**values)
        for template in language.messages.values():
            for given in ({}, {"name": "Anna"}, {"name": "Anna", "city": "Minsk"}):
                values = {**template.defaults, **given}
                expected = sandbox._compiled(template.source).render(**values)
                assert sandbox._render_plain(template.source, values) == expected


def test_an_unknown_name_in_a_plain_template_is_still_reported_with_its_hint():
    with pytest.raises(TemplateError, match="'name' is undefined; pass it with --var name=VALUE"):
        render_sandboxed("Hello {{ name }}", {}, "hello.j2")


# Templates drawn at random from the plain subset's grammar (and just outside it), with values that look like
# template syntax themselves: wherever the plain renderer answers, it answers exactly what Jinja renders.
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_NAMES = ("name", "city", "message")
_text = st.text(alphabet="ab {}%#-\n“”—", max_size=6)
_condition = st.lists(st.sampled_from(_NAMES), min_size=1, max_size=3).flatmap(
    lambda names: st.lists(st.sampled_from([" and ", " or "]), min_size=len(names) - 1,
                           max_size=len(names) - 1).map(
        lambda operators: names[0] + "".join(op + name for op, name in zip(operators, names[1:]))))


def _pieces(depth: int):
    piece = st.one_of(
        _text,
        st.builds(lambda name, pad: "{{" + pad + name + pad + "}}", st.sampled_from(_NAMES),
                  st.sampled_from(["", " "])),
        st.builds(lambda separator: '{{ tags | join("' + separator + '") }}', st.sampled_from(["", " ", " · ", ", "])),
    )
    if depth:
        piece = st.one_of(piece, st.builds(
            lambda condition, body: "{% if " + condition + " %}" + body + "{% endif %}",
            _condition, _pieces(depth - 1)))
    return st.lists(piece, max_size=5).map("".join)


@settings(max_examples=300, deadline=None)
@given(source=_pieces(2), values=st.fixed_dictionaries(
    {name: st.sampled_from(["", "Anna", "{{ x }}", "{% if %}", "Мінск\n"]) for name in _NAMES},
    optional={"tags": st.lists(st.sampled_from(["@amnesty", "#StandWithBelarus", ""]), max_size=3)}))
def test_whatever_the_plain_renderer_answers_is_what_jinja_renders(source, values):
    from jinja2 import TemplateError as JinjaError

    from generator import sandbox

    plain = sandbox._render_plain(source, values)
    if plain is None:
        return
    try:
        expected = sandbox._compiled(source).render(**values)
    except JinjaError:
        pytest.fail(f"the plain renderer answered {plain!r} where Jinja refuses {source!r}")
    assert plain == expected
