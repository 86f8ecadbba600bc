"""`solidarity batch`: campaign files in, every good post out, every problem reported, resumable."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from conftest import files_in

MESSAGES = ["Thank you, doctors!", "We stand with Belarusian medics.", "Caring is not a crime.",
            "You are not alone.", "Solidarity from Vilnius."]


def write_csv(path: Path, rows: list[dict], delimiter: str = ",", bom: bool = False) -> Path:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def good_rows(count: int) -> list[dict]:
    return [{"id": f"p{n}", "message": f"{MESSAGES[n % len(MESSAGES)]} #{n}", "formats": "instagram-square"}
            for n in range(count)]


def images(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.jpg"))


@pytest.mark.parametrize("delimiter, bom", [(",", False), (";", True), (";", False), (",", True)])
def test_csv_as_excel_writes_it(run, tmp_path, delimiter, bom):
    write_csv(tmp_path / "c.csv", good_rows(3), delimiter, bom)
    result = run("batch", "c.csv", "-j", "1")
    assert result.exit_code == 0, result.output
    assert len(images(tmp_path / "output")) == 3
    manifest = json.loads((tmp_path / "output" / "manifest.json").read_text(encoding="utf-8"))
    assert [post["row_id"] for post in manifest["posts"]] == ["p0", "p1", "p2"]


def test_json_rows(run, tmp_path):
    (tmp_path / "c.json").write_text(json.dumps([
        {"message": "Thank you", "formats": ["x", "facebook"]},
        {"template": "thank-you", "lang": "be", "vars": {"name": "Ala"}},
    ]), encoding="utf-8")
    result = run("batch", "c.json", "-j", "1", "--json")
    assert result.exit_code == 0, result.output
    posts = json.loads(result.stdout)["posts"]
    assert [(p["row"], p["format"]) for p in posts] == [(1, "facebook"), (1, "x"), (2, "instagram-square")]
    assert "Ala" in posts[2]["caption"]


def test_yaml_with_defaults_and_inline_rows(run, tmp_path):
    (tmp_path / "c.yaml").write_text(
        "defaults:\n  lang: be\n  formats: [instagram-portrait]\n  hashtags: [MedicsForBelarus]\n"
        "rows:\n  - template: not-alone\n  - template: thank-you\n    var.name: Ганна\n"
        "  - message: Дзякуй!\n    lang: be\n    formats: x\n", encoding="utf-8")
    result = run("batch", "c.yaml", "-j", "1", "--json")
    assert result.exit_code == 0, result.output
    posts = json.loads(result.stdout)["posts"]
    assert [(p["row"], p["format"]) for p in posts] == [(1, "instagram-portrait"), (2, "instagram-portrait"), (3, "x")]
    assert all("#MedicsForBelarus" in p["caption"] for p in posts)
    assert "Ганна" in posts[1]["caption"]


def test_yaml_with_rows_from_a_csv_beside_it(run, tmp_path):
    write_csv(tmp_path / "rows.csv", good_rows(2))
    (tmp_path / "c.yaml").write_text("defaults:\n  style: light-card\nrows: rows.csv\n", encoding="utf-8")
    result = run("batch", "c.yaml", "-j", "1")
    assert result.exit_code == 0, result.output
    assert len(images(tmp_path / "output")) == 2


def test_every_problem_is_reported_up_front_and_good_rows_still_render(run, tmp_path):
    (tmp_path / "broken.j2").write_text("Thanks, {{ who }}!")
    rows = good_rows(2) + [
        {"colour": "red"},
        {"formats": "tiktok"},
        {"lang": "xx"},
        {"flower": "missing.jpg"},
        {"template": "broken.j2"},
        {"message": "solidarity " * 60, "formats": "facebook"},
        {"style": "neon"},
        {"vars": "name"},
    ]
    write_csv(tmp_path / "c.csv", rows)
    result = run("batch", "c.csv", "-j", "1")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    expected_starts = [
        "Error: c.csv:1:colour: unknown column",  # the header's problem; row 4, which fills it in, is refused
        "Error: c.csv:5:formats: unknown format 'tiktok'",
        "Error: c.csv:6:lang: unknown language 'xx'",
        "Error: c.csv:7:flower: photo missing.jpg: no such file",
        "Error: c.csv:8:template: template ",
        "Error: c.csv:9:message: facebook: message is too long by about ",
        "Error: c.csv:10:style: unknown style 'neon'",
        "Error: c.csv:11:vars: 'name' in the vars column: write each as KEY=VALUE, like name=Anna;city=Minsk",
    ]
    for start in expected_starts:
        assert any(line.startswith(start) for line in lines), (start, lines)
    assert "'who' is undefined" in next(line for line in lines if line.startswith("Error: c.csv:8:"))
    assert len(images(tmp_path / "output")) == 2
    with open(tmp_path / "output" / "errors.csv", encoding="utf-8-sig") as stream:
        assert [row["row"] for row in csv.DictReader(stream)] == ["1"] + [str(n) for n in range(5, 12)]


def test_dry_run_validates_and_writes_nothing(run, tmp_path):
    write_csv(tmp_path / "c.csv", good_rows(3) + [{"formats": "tiktok"}])
    result = run("batch", "c.csv", "--dry-run")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "batch c.csv: 4 rows, 3 posts planned, 1 row refused (dry run)"
    assert files_in(tmp_path / "output") == []


def test_fail_fast_stops_before_rendering_when_validation_fails(run, tmp_path):
    write_csv(tmp_path / "c.csv", good_rows(3) + [{"lang": "xx"}])
    result = run("batch", "c.csv", "--fail-fast")
    assert result.exit_code == 1 and files_in(tmp_path / "output") == []


def test_a_failure_while_rendering_is_reported_and_the_rest_go_on(run, tmp_path):
    (tmp_path / "fake.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not really a jpeg")
    write_csv(tmp_path / "c.csv", good_rows(3) + [{"flower": "fake.jpg"}])
    result = run("batch", "c.csv", "-j", "1")
    assert result.exit_code == 1
    assert any(line.startswith("Error: c.csv:5:flower: instagram-square: photo ") for line in result.stderr.splitlines())
    assert len(images(tmp_path / "output")) == 3
    assert json.loads((tmp_path / "output" / "manifest.json").read_text())["summary"]["failed"] == 1


def test_five_percent_bad_rows_every_good_post_written_every_bad_row_reported(run, tmp_path):
    rows = good_rows(38)
    rows[7] = {"lang": "xx"}
    rows[23] = {"formats": "myspace"}
    write_csv(tmp_path / "c.csv", rows)
    result = run("batch", "c.csv", "-j", "2")
    assert result.exit_code == 1
    manifest = json.loads((tmp_path / "output" / "manifest.json").read_text())
    assert len(manifest["posts"]) == 36 and len(images(tmp_path / "output")) == 36
    assert sorted(error["row"] for error in manifest["errors"]) == [9, 25]
    for post in manifest["posts"]:
        data = (tmp_path / "output" / post["image"]).read_bytes()
        import hashlib

        assert hashlib.sha256(data).hexdigest() == post["sha256"]


def test_rerun_keeps_what_is_done_and_force_redoes_it(run, tmp_path):
    write_csv(tmp_path / "c.csv", good_rows(3))
    assert run("batch", "c.csv", "-j", "1").exit_code == 0
    again = run("batch", "c.csv", "-j", "1")
    assert "3 posts (0 written, 3 kept)" in again.stderr
    forced = run("batch", "c.csv", "-j", "1", "--force")
    assert "3 posts (3 written, 0 kept)" in forced.stderr


def test_contact_sheet_and_platform_zips(run, tmp_path):
    rows = [{"message": "Thank you", "formats": "instagram-square x"}, {"message": "Merci", "formats": "x"}]
    write_csv(tmp_path / "c.csv", rows)
    result = run("batch", "c.csv", "-j", "1", "--contact-sheet", "--zip")
    assert result.exit_code == 0, result.output
    out = tmp_path / "output"
    with Image.open(out / "contact-sheet.jpg") as sheet:
        assert sheet.width > 0
    with zipfile.ZipFile(out / "posts-x.zip") as archive:
        names = archive.namelist()
    assert len(names) == 6 and sum(name.endswith(".jpg") for name in names) == 2
    with zipfile.ZipFile(out / "posts-instagram-square.zip") as archive:
        assert len(archive.namelist()) == 3


def test_a_missing_campaign_file(run, tmp_path):
    result = run("batch", "nowhere.csv")
    assert result.exit_code == 2 and result.stderr == "Error: campaign file nowhere.csv: no such file\n"


def test_ten_thousand_rows_validate(tmp_path):
    from generator.campaign import plan_campaign

    rows = [{"message": f"Thank you, medics of Belarus, from supporter {n}", "formats": "instagram-square"}
            for n in range(10_000)]
    plan = plan_campaign(write_csv(tmp_path / "big.csv", rows))
    assert plan.rows == 10_000 and len(plan.posts) == 10_000 and not plan.problems


def run_batch_process(campaign: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "generator", "batch", str(campaign), "-o", str(out), "-j", "2",
                             "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def test_a_killed_batch_leaves_no_partial_file_and_the_rerun_completes_it_identically(tmp_path):
    campaign = write_csv(tmp_path / "c.csv", good_rows(24))
    reference, interrupted = tmp_path / "reference", tmp_path / "interrupted"
    assert run_batch_process(campaign, reference).wait() == 1 - 1
    process = run_batch_process(campaign, interrupted)
    while len(images(interrupted) if interrupted.exists() else []) < 4 and process.poll() is None:
        pass  # wait until the run is well under way (polling the folder, not the clock)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for image in images(interrupted):  # everything visible is whole
        with Image.open(image) as picture:
            picture.load()
    assert run_batch_process(campaign, interrupted).wait() == 0
    assert not list(interrupted.glob(".*"))
    assert files_in(interrupted) == files_in(reference)
    for name in files_in(reference):
        if name != "manifest.json" and name != "manifest.csv":
            assert (interrupted / name).read_bytes() == (reference / name).read_bytes(), name
    done = json.loads((interrupted / "manifest.json").read_text())
    assert [p["sha256"] for p in done["posts"]] == [p["sha256"] for p in json.loads(
        (reference / "manifest.json").read_text())["posts"]]


@pytest.mark.parametrize("arguments, started", [(("-j", "2"), True), (("-j", "1"), False),
                                                (("-j", "2", "--dry-run"), False)])
def test_the_workers_server_starts_before_the_rows_are_checked_only_when_workers_will_run(
        run, tmp_path, monkeypatch, arguments, started):
    from multiprocessing import forkserver

    import generator.campaign

    events = []
    monkeypatch.setattr(forkserver, "ensure_running", lambda: events.append("server"))
    planned = generator.campaign.plan_campaign
    monkeypatch.setattr(generator.campaign, "plan_campaign",
                        lambda *args, **kwargs: events.append("plan") or planned(*args, **kwargs))
    write_csv(tmp_path / "c.csv", good_rows(2))
    run("batch", "c.csv", *arguments)
    assert events[:2] == (["server", "plan"] if started else ["plan"])


def _fresh_python(script: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1])


def test_the_workers_warm_up_imports_alone_and_keeps_nothing_a_batch_environment_changes():
    """The fork server swallows an ImportError of a preloaded module: a broken warm-up would pass unseen. It
    outlives a batch, so it must not keep the emoji font SOLIDARITY_EMOJI_FONT picks for the next one."""
    done = _fresh_python("import generator.warm; from generator import fonts;"
                         "print(fonts.coverage.cache_info().currsize > 0, fonts.emoji_face.cache_info().currsize)")
    assert done.stdout.split() == ["True", "0"], done.stderr


def test_a_warm_up_that_fails_leaves_the_server_alive():
    """Anything but an ImportError would kill the server, and every batch with more than one job."""
    done = _fresh_python("from generator import fonts\n"
                         "def broken(face): raise OSError('unreadable font')\n"
                         "fonts.coverage = broken\n"
                         "import generator.warm")
    assert done.returncode == 0, done.stderr


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the server's signal mask from /proc")
def test_the_early_server_ignores_ctrl_c_from_its_birth_so_a_ctrl_c_while_rows_are_checked_prints_no_traceback():
    """The fork server ignores SIGINT itself only once its imports are done: started early, it must be born
    ignoring it. (A fresh interpreter, so that the server is started here and read at once.)"""
    script = ("import signal; from multiprocessing import forkserver; from generator.batch import start_workers_early;"
              "signal.signal(signal.SIGINT, signal.default_int_handler);"  # as in a terminal, even in a background job
              "start_workers_early(2); pid = forkserver._forkserver._forkserver_pid;"
              "mask = next(l for l in open(f'/proc/{pid}/status') if l.startswith('SigIgn:')).split()[1];"
              "print(int(mask, 16) >> (signal.SIGINT - 1) & 1, signal.getsignal(signal.SIGINT) is signal.default_int_handler)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.stdout.split() == ["1", "True"], done.stderr  # the server ignores it; this process does not



def test_a_frosted_layer_only_one_post_reads_is_made_for_its_part_and_the_posts_are_the_same(tmp_path, monkeypatch):
    """A campaign of one photo a row makes each photo's layer for the part its post reads; a layer several
    posts read (or an animated post's, which reads it all) is made whole and kept. The files are the same."""
    from dataclasses import replace

    from conftest import flower_photo
    from generator import batch, pictures
    from generator.campaign import plan_campaign
    from generator.posts import render_post

    for number in range(2):
        flower_photo(seed=number).save(tmp_path / f"photo{number}.jpg", quality=90)
    rows = [{"flower": "photo0.jpg", "message": "One photo, one post", "formats": "x"},
            {"flower": "photo1.jpg", "message": "Another photo", "formats": "x", "animate": "yes"},
            {"flower": "cornflower", "message": "Thank you", "formats": "x"},
            {"flower": "cornflower", "message": "Thank you again", "formats": "x"},
            {"flower": "cornflower", "message": "Thank you, taller", "formats": "instagram-portrait"},
            {"flower": "cornflower", "message": "Thank you, blurred more", "formats": "x", "style": "banner"}]
    plan = plan_campaign(write_csv(tmp_path / "c.csv", rows))
    chunks = batch._chunks(plan.posts, 32, batch.layers_shared([post.spec for post in plan.posts]))
    whole = {post.spec.message: whole for chunk in chunks for _, post, whole in chunk}
    assert whole == {"One photo, one post": False, "Another photo": True, "Thank you": True, "Thank you again": True,
                     "Thank you, taller": False, "Thank you, blurred more": False}  # another size, another blur

    parts = []
    made_part = pictures._frosted_part
    monkeypatch.setattr(pictures, "_frosted_part", lambda image, *rest: parts.append(image.size) or made_part(image, *rest))
    stills = replace(plan, posts=[post for post in plan.posts if post.spec.message in
                                  ("One photo, one post", "Thank you", "Thank you again")])
    result = batch.run_batch(stills, tmp_path / "out", "c.csv", jobs=1)
    assert len(result.records) == 3 and len(parts) == 1  # the lone photo's post, and only it
    again = next(record for record in result.records if record.caption.startswith("Thank you again"))
    made_again = (tmp_path / "out" / again.image).read_bytes()
    (tmp_path / "out" / again.image).unlink()
    parts.clear()
    pictures._cached_frosted.cache_clear()  # as in a new run's worker
    batch.run_batch(stills, tmp_path / "out", "c.csv", jobs=1)  # resumed: "Thank you" is kept, so its
    assert parts == [(1600, 900)]                                  # layer has one post left to read it
    assert (tmp_path / "out" / again.image).read_bytes() == made_again
    lone = next(record for record in result.records if record.caption.startswith("One photo"))
    monkeypatch.undo()
    spec = next(post.spec for post in plan.posts if post.spec.message == "One photo, one post")
    assert (tmp_path / "out" / lone.image).read_bytes() == render_post(spec, whole_layer=True).image_bytes


def test_a_rerun_with_a_link_planted_under_one_posts_name_refuses_that_row_alone(run, tmp_path):
    """Which posts are still to make is read from the folder's names before any worker starts: a planted link
    there is not followed, and is refused for its own row, in its own words, as a worker finds it."""
    from generator.spec import PostRequest, plan_posts

    rows = [{"message": "Thank you, doctors!", "formats": "x"}, {"message": "We stand with you", "formats": "x"}]
    write_csv(tmp_path / "campaign.csv", rows)
    [spec] = plan_posts(PostRequest(message="Thank you, doctors!", formats=("x",)))
    (tmp_path / "posts").mkdir()
    (tmp_path / "secret.txt").write_text("not the campaign's\n")
    (tmp_path / "posts" / f"{spec.name}.caption.txt").symlink_to(tmp_path / "secret.txt")
    result = run("batch", "campaign.csv", "-o", "posts", "-j", "1", "-q")
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr == (f"Error: campaign.csv:2:-: x: refusing to write '{spec.name}.caption.txt' outside the "
                             f"output folder posts\n")
    assert len([name for name in files_in(tmp_path / "posts") if name.endswith(".jpg")]) == 1  # the other row's
    assert (tmp_path / "secret.txt").read_text() == "not the campaign's\n"


def test_an_output_folder_that_cannot_be_listed_still_gets_its_posts(tmp_path, monkeypatch):
    from generator import batch
    from generator.campaign import plan_campaign

    plan = plan_campaign(write_csv(tmp_path / "c.csv", [{"message": "Thank you", "formats": "x"}]))
    (tmp_path / "out").mkdir()

    def unreadable(folder):
        raise PermissionError(13, "Permission denied", str(folder))

    monkeypatch.setattr(batch.os, "listdir", unreadable)
    result = batch.run_batch(plan, tmp_path / "out", "c.csv", jobs=1)
    assert len(result.records) == 1 and not result.failures
