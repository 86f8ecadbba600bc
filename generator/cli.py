"""The `solidarity` command: parse options, call the library, print. No image logic lives here."""

from __future__ import annotations

import atexit
import functools
import gc
import json
import sys
from pathlib import Path

import click

from generator import __version__
from generator.errors import SolidarityError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def reports_errors(command):
    """Turn the library's errors into one line on stderr and the right exit code: never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except SolidarityError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(error.exit_code)

    return wrapper


def _complete_formats(ctx, param, incomplete):
    from generator.formats import FORMATS

    return [name for name in (*FORMATS, "all") if name.startswith(incomplete)]


def _complete_flowers(ctx, param, incomplete):
    from generator.flowers import bundled

    return [name for name in bundled() if name.startswith(incomplete)]


def _complete_templates(ctx, param, incomplete):
    from generator.messages import languages

    ids = {message for language in languages().values() for message in language.messages}
    return sorted(name for name in ids if name.startswith(incomplete))


def _complete_languages(ctx, param, incomplete):
    from generator.messages import languages

    return [code for code in languages() if code.startswith(incomplete)]


def _complete_styles(ctx, param, incomplete):
    from generator.styles import STYLES

    return [name for name in STYLES if name.startswith(incomplete)]


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="solidarity")
def cli():
    """Make ready-to-post #StandWithBelarus solidarity images: a flower, your message, every platform.

    Run `solidarity make` for a post from the defaults, or `solidarity COMMAND -h` for a command's options.
    Shell completion: eval "$(_SOLIDARITY_COMPLETE=bash_source solidarity)" (zsh_source, fish_source too).
    """


@cli.command(context_settings=CONTEXT)
@click.option("-f", "--flower", metavar="FLOWER", shell_complete=_complete_flowers,
              help="A bundled flower name, grow:SPECIES[:SEED], or the path of your photo.  [default: cornflower]")
@click.option("--focus", metavar="X,Y", help="Where the flower is in your photo, as fractions (e.g. 0.3,0.6).")
@click.option("-m", "--message", help="Your own message, used exactly as written.")
@click.option("-t", "--template", metavar="ID|FILE.j2", shell_complete=_complete_templates,
              help="A message template id (see `solidarity templates list`) or a .j2 file.  [default: thank-you]")
@click.option("--templates", "templates_dir", type=click.Path(path_type=Path), metavar="DIR",
              help="A folder of LANGUAGE.toml message catalogues laid over the bundled one.")
@click.option("--var", "variables", multiple=True, metavar="KEY=VALUE", help="A template variable (repeatable).")
@click.option("-l", "--lang", default="en", show_default=True, shell_complete=_complete_languages,
              help="Language of the template, caption and alt text.")
@click.option("-F", "--format", "formats", multiple=True, metavar="FORMAT", shell_complete=_complete_formats,
              help="A platform preset (repeatable, or `all`; see `solidarity formats`).  [default: instagram-square]")
@click.option("-s", "--style", default="card", show_default=True, shell_complete=_complete_styles,
              help="Visual style (see `solidarity styles`).")
@click.option("--font", type=click.Path(dir_okay=False), help="A .ttf/.otf font file for the message.")
@click.option("-o", "--out", default="output", show_default=True, type=click.Path(path_type=Path),
              help="Folder to write the posts to.")
@click.option("--tag", "tags", multiple=True, metavar="@NAME", help="An extra account to tag (repeatable); @amnesty is always there.")
@click.option("--hashtag", "hashtags", multiple=True, metavar="#TAG",
              help="An extra hashtag (repeatable); #StandWithBelarus is always there.")
@click.option("--image-type", default="jpeg", show_default=True, type=click.Choice(["jpeg", "png", "webp"]),
              help="Image file type.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON description of everything written on stdout.")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages on stderr.")
@click.option("--force", is_flag=True, help="Rewrite posts that already exist.")
@click.option("--debug", is_flag=True, help="Outline the safe zone, text boxes and focal point (the post is named ...-debug-...).")
@click.option("--kit", type=click.Path(path_type=Path), metavar="KIT.toml",
              help="A campaign kit: colours, style, font, logo, tags, template and language; options given here win.")
@click.option("--animate", is_flag=True,
              help="Also write NAME.mp4: the flower grows (or the camera moves in), then your message appears. "
                   "-F instagram-story is the Story / Reel size. Needs: pip install 'solidarity-posts[video]'.")
@reports_errors
def make(flower, focus, message, template, templates_dir, variables, lang, formats, style, font, out, tags, hashtags, image_type,
         as_json, quiet, force, debug, kit, animate):
    """Make one post, in one or several platform formats.

    Each post is three files side by side in --out: NAME.jpg, NAME.caption.txt and NAME.alt.txt.

    \b
    Examples:
      solidarity make
      solidarity make -f photo.jpg -m "Thank you, doctors" -F instagram-portrait -F x
      solidarity make -t thank-you --var name=Anna -l be
      solidarity make -f grow:cornflower:42 -F all
      solidarity make --kit campaign.toml -m "Дзякуй!"
    """
    from generator.messages import parse_vars
    from generator.posts import make_posts
    from generator.spec import PostRequest, plan_posts

    request = PostRequest(
        flower=flower, focus=_parse_focus(focus) if focus else None, message=message, template=template,
        variables=parse_vars(variables), language=lang, formats=tuple(formats), style=style,
        tags=tuple(tags), hashtags=tuple(hashtags), image_type=image_type, font=font, debug=debug,
        templates=str(templates_dir) if templates_dir else None,
    )
    if kit:
        from generator.kit import given_options, load_kit, with_kit

        request = with_kit(request, load_kit(kit), given_options(_given_on_command_line()))
    specs = plan_posts(request)
    if animate:
        from generator.motion.encode import require_av
        from generator.motion.files import video_path

        require_av()  # before anything is written: one clear line saying how to install it
        for spec in specs:
            video_path(spec, out)  # refused (a link planted under its name) before the still is written
    written = make_posts(specs, out, force=force, animated=animate)
    videos = _animate(specs, out, force, quiet) if animate else []
    _report(written, as_json, quiet, videos)


def _animate(specs, out, force: bool, quiet: bool):
    """Each post's MP4, with a progress bar on stderr when it is a terminal."""
    from generator.motion import write_animation

    videos = []
    for spec in specs:
        show = not quiet and sys.stderr.isatty()
        with click.progressbar(length=1, label=f"animating {spec.format.name}", file=sys.stderr) if show \
                else _no_bar() as bar:
            def progress(done, total, bar=bar):
                bar.length = total
                bar.update(done - bar.pos)
            videos.append(write_animation(spec, out, force, progress=progress if show else None))
    return videos


class _no_bar:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _given_on_command_line() -> set[str]:
    """The options the user typed (not left at their defaults): those override a kit."""
    from click.core import ParameterSource

    context = click.get_current_context()
    return {name for name in context.params
            if context.get_parameter_source(name) not in (ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP, None)}


def _parse_focus(text: str) -> tuple[float, float]:
    from generator.flowers.focus import parse_focus

    return parse_focus(text)


def _report(written, as_json: bool, quiet: bool, videos=()) -> None:
    videos = {video.spec: video for video in videos}
    for post in written:
        if not quiet:
            for warning in post.spec.warnings:
                click.echo(f"Warning: {warning}", err=True)
            verb = "wrote" if post.status == "written" else "kept (already made; --force rewrites)"
            click.echo(f"{verb} {post.files.image} ({post.spec.format.width}x{post.spec.format.height}, "
                       f"{post.byte_count / 1000:.0f} kB) + caption + alt text", err=True)
        video = videos.get(post.spec)
        if video and not quiet:
            verb = "wrote" if video.status == "written" else "kept"
            click.echo(f"{verb} {video.path} ({video.seconds:.0f} s video, {video.byte_count / 1e6:.1f} MB)", err=True)
        if not as_json:
            click.echo(str(post.files.image))
            if video:
                click.echo(str(video.path))
    if as_json:
        posts = [{**post.as_json(), **(videos[post.spec].as_json() if post.spec in videos else {})} for post in written]
        click.echo(json.dumps({"posts": posts}, ensure_ascii=False, indent=2))


@cli.command(context_settings=CONTEXT)
@click.argument("campaign_file", type=click.Path(path_type=Path))
@click.option("-o", "--out", default="output", show_default=True, type=click.Path(path_type=Path),
              help="Folder to write the posts, manifest and hand-over files to.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes.  [default: the number of cores]")
@click.option("--dry-run", is_flag=True, help="Validate every row and stop: nothing is rendered.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first problem instead of carrying on.")
@click.option("--force", is_flag=True, help="Redo posts already written by an earlier run.")
@click.option("--contact-sheet", is_flag=True, help="Also write a grid preview of the whole batch.")
@click.option("--zip", "make_zip", is_flag=True, help="Also bundle the posts in one zip per platform.")
@click.option("--json", "as_json", is_flag=True, help="Print the manifest as JSON on stdout.")
@click.option("-q", "--quiet", is_flag=True, help="Only problems on stderr: no progress or summary.")
@click.option("--sheet", metavar="NAME", help="The sheet of an .xlsx workbook to read.  [default: the first]")
@reports_errors
def batch(campaign_file, out, jobs, dry_run, fail_fast, force, contact_sheet, make_zip, as_json, quiet, sheet):
    """Make many posts from a CSV, Excel (.xlsx), JSON or YAML campaign file.

    Each row may set any `make` option as a column, named as `make` names it, singular or plural: flower,
    focus, message, template, vars (KEY=VALUE;...) or var.NAME columns, lang, format(s) (space- or
    comma-separated), style, tag(s), hashtag(s), image-type, font, templates, kit, animate (yes: also the
    post's MP4), and an optional id. Every row is validated before anything renders; problems are listed as
    FILE:ROW:COLUMN lines and the good rows go ahead. A rerun skips posts already written.

    \b
    Examples:
      solidarity batch campaign.csv --dry-run
      solidarity batch campaign.xlsx --sheet Belarus
      solidarity batch campaign.yaml -o posts --contact-sheet --zip
    """
    from generator.batch import run_batch, start_workers_early, write_manifest
    from generator.campaign import plan_campaign

    if not dry_run:
        start_workers_early(jobs)
    plan = plan_campaign(campaign_file, sheet=sheet)
    if any(post.spec.animate for post in plan.posts):
        from generator.motion.encode import require_av

        require_av()
    for problem in plan.problems:
        click.echo(f"Error: {problem}", err=True)
    planned = (f"{_counted(plan.rows, 'row')}, {_counted(len(plan.posts), 'post')} planned, "
               f"{_counted(len(plan.bad_rows), 'row')} refused")
    if dry_run or (fail_fast and plan.problems):
        click.echo(f"batch {campaign_file}: {planned}" + (" (dry run)" if dry_run else ""), err=True)
        sys.exit(1 if plan.problems else 0)
    with _progress(len(plan.posts), quiet) as advance:
        result = run_batch(plan, out, str(campaign_file), jobs=jobs, force=force, fail_fast=fail_fast,
                           progress=advance)
    for failure in result.failures:
        click.echo(f"Error: {failure}", err=True)
    extras = write_manifest(Path(out), result, plan.problems)
    extras += _handover_files(Path(out), result.records, contact_sheet, make_zip)
    if not quiet:
        failed = len(plan.problems) + len(result.failures)
        stopped = " (stopped early)" if result.stopped_early else ""
        click.echo(f"batch {campaign_file}: {_counted(len(result.records), 'post')} ({result.written} written, "
                   f"{result.kept} kept), {_counted(failed, 'problem')}{stopped}, "
                   f"in {result.seconds:.1f} s -> {out}", err=True)
    click.echo((Path(out) / "manifest.json").read_text(encoding="utf-8") if as_json else str(extras[0]))
    sys.exit(1 if plan.problems or result.failures else 0)


def _handover_files(folder: Path, records, contact_sheet: bool, make_zip: bool) -> list[Path]:
    from generator.bundle import contact_sheets, platform_zips

    written = contact_sheets(folder, records) if contact_sheet and records else []
    return written + (platform_zips(folder, records) if make_zip and records else [])


class _progress:
    """A progress bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self, total: int, quiet: bool):
        self.bar = None
        if not quiet and total and sys.stderr.isatty():
            self.bar = click.progressbar(length=total, label="rendering", file=sys.stderr)

    def __enter__(self):
        if self.bar is None:
            return None
        bar = self.bar.__enter__()
        return bar.update

    def __exit__(self, *exc):
        return self.bar.__exit__(*exc) if self.bar else False


@cli.command(context_settings=CONTEXT)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 127.0.0.1 keeps the page on this computer.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0 picks a free one).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the web browser.")
@reports_errors
def serve(host, port, open_browser):
    """A local web page for making posts: a flower or your photo, your words, every platform.

    Photos are processed in memory on this computer; nothing is stored or sent anywhere.
    The page's address is printed on stdout; press Ctrl+C to stop.

    \b
    Examples:
      solidarity serve --open
      solidarity serve --port 8080
    """
    from generator.web import serve as serve_page

    serve_page(host, port, open_browser)


@cli.command(context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Print the presets as JSON.")
def formats(as_json):
    """The platform presets: pixel sizes and caption, alt-text and file-size limits."""
    from dataclasses import asdict

    from generator.formats import FORMATS

    if as_json:
        click.echo(json.dumps([asdict(f) for f in FORMATS.values()], indent=2))
        return
    click.echo(f"{'FORMAT':<20}{'PIXELS':<11}{'CAPTION':>9}{'ALT':>7}{'FILE CAP':>10}  NOTES")
    for f in FORMATS.values():
        caption = _limit(f.caption_limit) + ("w" if f.counting == "x-weighted" else "")
        cap = f"{f.max_bytes / 1e6:.2f} MB" if f.max_bytes else "-"
        click.echo(f"{f.name:<20}{f'{f.width}x{f.height}':<11}{caption:>9}{_limit(f.alt_limit):>7}{cap:>10}  {f.notes}")


def _limit(value: int | None) -> str:
    return f"{value:,}" if value else "-"


@cli.command(context_settings=CONTEXT)
def styles():
    """The visual styles, with a line on each."""
    from generator.styles import STYLES

    width = max(len(name) for name in STYLES) + 2
    for style in STYLES.values():
        click.echo(f"{style.name:<{width}}{style.description}")


@cli.group(context_settings=CONTEXT)
def templates():
    """The message templates, by language."""


CATALOGUE_OPTION = click.option("--templates", "templates_dir", type=click.Path(path_type=Path), metavar="DIR",
                                help="A folder of LANGUAGE.toml catalogues laid over the bundled one.")


@templates.command("list", context_settings=CONTEXT)
@click.option("-l", "--lang", shell_complete=_complete_languages, help="Only this language.")
@CATALOGUE_OPTION
@reports_errors
def templates_list(lang, templates_dir):
    """Every template id, its language, title and variables."""
    from generator.messages import get_language, languages

    chosen = [get_language(lang, templates_dir)] if lang else list(languages(templates_dir).values())
    for language in chosen:
        for template in language.messages.values():
            variables = ", ".join(template.variables) or "-"
            click.echo(f"{template.id:<20}{language.code:<5}{template.title}  [vars: {variables}]")


@templates.command("show", context_settings=CONTEXT)
@click.argument("template_id", shell_complete=_complete_templates)
@click.option("-l", "--lang", default="en", show_default=True, shell_complete=_complete_languages)
@CATALOGUE_OPTION
@reports_errors
def templates_show(template_id, lang, templates_dir):
    """One template: its text, its variables with their defaults, and how it reads with them."""
    from generator.messages import find_template

    template = find_template(template_id, lang, templates_dir)
    click.echo(f"{template.id} ({template.language}): {template.title}")
    for name in template.variables:
        default = template.defaults.get(name)
        click.echo(f"  --var {name}=...   default: {default!r}" if default is not None else f"  --var {name}=... (required)")
    click.echo("\nTemplate:\n" + template.source)
    if all(name in template.defaults for name in template.variables):
        click.echo("\nWith the defaults:\n" + template.render({}))


@cli.group(context_settings=CONTEXT)
def flowers():
    """The bundled flowers, and flowers grown on demand."""


@flowers.command("list", context_settings=CONTEXT)
def flowers_list():
    """Bundled flower names, and the species that can be grown."""
    from generator.flowers import bundled
    from generator.flowers.grow import SPECIES

    click.echo("Bundled (use -f NAME):")
    width = max(len(name) for name in bundled()) + 2
    for flower in bundled().values():
        click.echo(f"  {flower.name:<{width}}{flower.description}")
    click.echo("Growable (use -f grow:SPECIES[:SEED]):")
    click.echo("  " + ", ".join(SPECIES))


@flowers.command("show", context_settings=CONTEXT)
@click.argument("name", shell_complete=_complete_flowers)
@reports_errors
def flowers_show(name):
    """Details of one bundled flower."""
    from generator.errors import UsageError
    from generator.flowers import bundled

    flower = bundled().get(name)
    if flower is None:
        raise UsageError(f"unknown bundled flower '{name}'; see `solidarity flowers list`")
    for label, value in (("name", flower.name), ("description", flower.description), ("species", flower.species),
                         ("composition", flower.composition), ("palette", flower.palette), ("seed", flower.seed),
                         ("focus", f"{flower.focus[0]:.2f},{flower.focus[1]:.2f}"), ("tone", flower.tone),
                         ("file", flower.path)):
        click.echo(f"{label:<12}{value}")


@flowers.command("grow", context_settings=CONTEXT)
@click.argument("species")
@click.option("--seed", default=0, show_default=True, type=int, help="Same seed, same flower.")
@click.option("--size", default="1080x1350", show_default=True, metavar="WxH", help="Picture size in pixels.")
@click.option("--composition", default="single", show_default=True, help="single, bouquet or meadow.")
@click.option("--palette", default="natural", show_default=True, help="natural or white-red-white.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (.png, .jpg or .webp).")
@reports_errors
def flowers_grow(species, seed, size, composition, palette, out):
    """Grow a flower picture procedurally and save it."""
    from generator.export import image_type_for, save_picture
    from generator.flowers.grow import grow

    image_type = image_type_for(out)
    flower = grow(species, seed, _parse_size(size), composition, palette)
    save_picture(flower.image, out, image_type)
    click.echo(str(out))


def _parse_size(text: str) -> tuple[int, int]:
    from generator.errors import UsageError

    width, sep, height = text.lower().partition("x")
    if not (sep and width.isdigit() and height.isdigit()):
        raise UsageError(f"--size '{text}': write it as WIDTHxHEIGHT in pixels, like 1080x1350")
    return int(width), int(height)


def _counted(number: int, noun: str) -> str:
    """1 row, 2 rows: the summary lines speak English, counted right."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def main() -> None:
    # As the process ends, its last garbage collections would walk every object the run made, only for the
    # system to free them all at once: frozen at exit, they are skipped (measured: 16 ms of a 180 ms make).
    atexit.unregister(gc.freeze)  # once, however often main() is called
    atexit.register(gc.freeze)
    cli(prog_name="solidarity")
