"""The page in production: the README's gunicorn command, its configuration, limits and privacy."""

from __future__ import annotations

import base64
import http.client
import io
import json
import os
import re
import shlex
import shutil
import socket
import ssl
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from PIL import Image

from generator.errors import UsageError
from generator.web import create_app
from generator.web.hosting import HostingConfig

README = Path(__file__).resolve().parent.parent / "README.md"
pytest.importorskip("gunicorn", reason="the hosting extra is not installed: pip install -e '.[hosting]'")


def hosted_client(**settings):
    return create_app(hosting=HostingConfig(**settings)).test_client()


# --- configuration ---------------------------------------------------------------------------------------

def test_the_environment_configures_hosting(tmp_path):
    config = HostingConfig.from_environment({
        "SOLIDARITY_HOSTS": "Posts.Example.org, www.posts.example.org:443", "SOLIDARITY_TRUSTED_PROXIES": "1",
        "SOLIDARITY_RATELIMIT": "5 per minute", "SOLIDARITY_RATELIMIT_STORAGE": "redis://127.0.0.1:6379/0",
        "SOLIDARITY_RATELIMIT_SALT": "c0ffee", "SOLIDARITY_MAX_UPLOAD_MB": "10", "SOLIDARITY_REQUEST_TIMEOUT": "20",
        "SOLIDARITY_KIT": "kit.toml"})
    assert config.hosts == ("posts.example.org", "www.posts.example.org")
    assert (config.trusted_proxies, config.ratelimit, config.max_upload_bytes, config.request_timeout) == (
        1, "5 per minute", 10_000_000, 20.0)
    assert (config.kit, config.ratelimit_salt) == (Path("kit.toml"), "c0ffee")
    assert HostingConfig.from_environment({}) .hosts == ()
    # Alone, each worker counts in memory with a salt of its own, drawn at random.
    assert HostingConfig.from_environment({}).ratelimit_salt != HostingConfig.from_environment({}).ratelimit_salt


def test_a_shared_store_needs_a_secret_salt():
    """A salt anyone could guess (such as the store's URL) lets whoever reads the store try every address."""
    with pytest.raises(UsageError) as raised:
        HostingConfig.from_environment({"SOLIDARITY_RATELIMIT_STORAGE": "redis://127.0.0.1:6379/0"})
    assert str(raised.value) == ("SOLIDARITY_RATELIMIT_SALT: set a secret shared by every machine that counts in "
                                 "redis://, like SOLIDARITY_RATELIMIT_SALT=$(openssl rand -hex 32)")


@pytest.mark.parametrize("name, value, expected", [
    ("TRUSTED_PROXIES", "one", "SOLIDARITY_TRUSTED_PROXIES=one: give a number from 0 to 10, like "
                               "SOLIDARITY_TRUSTED_PROXIES=1"),
    ("RATELIMIT", "lots", 'SOLIDARITY_RATELIMIT=lots: write limits like "120 per minute;1000 per hour"'),
    ("RATELIMIT_STORAGE", "mongodb://x", "SOLIDARITY_RATELIMIT_STORAGE: 'mongodb' is not a storage this page "
                                         "knows; use memory:// or redis://HOST:6379"),
    ("MAX_UPLOAD_MB", "0", "SOLIDARITY_MAX_UPLOAD_MB=0: give a number from 1 to 200, like "
                           "SOLIDARITY_MAX_UPLOAD_MB=25"),
    ("HOSTS", "https://posts.example.org/", "SOLIDARITY_HOSTS: 'https://posts.example.org/' is not a host "
                                            "name; list names like posts.example.org, separated by commas"),
])
def test_a_bad_setting_is_one_line_naming_the_variable(name, value, expected):
    with pytest.raises(UsageError) as raised:
        HostingConfig.from_environment({f"SOLIDARITY_{name}": value})
    assert str(raised.value) == expected


def test_the_public_host_names_are_answered_and_others_refused():
    client = hosted_client(hosts=("posts.example.org",))
    assert client.get("/api/options", headers={"Host": "posts.example.org"}).status_code == 200
    assert client.get("/api/options", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    assert client.get("/api/options", headers={"Host": "evil.example"}).status_code == 403
    # The local page still answers loopback only.
    assert create_app().test_client().get("/api/options", headers={"Host": "posts.example.org"}).status_code == 403


def test_forwarded_headers_are_trusted_only_from_the_configured_proxies():
    behind_one = hosted_client(hosts=("posts.example.org",), trusted_proxies=1, ratelimit="1 per minute")
    through_proxy = {"Host": "posts.example.org", "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    switched = behind_one.get("/?hl=be", headers=through_proxy)
    assert switched.status_code == 200
    assert "Secure" in switched.headers["Set-Cookie"]  # the supporter reached it over HTTPS
    form = {"message": "Free them", "format": "x"}
    assert behind_one.post("/api/preview", data=form, headers=through_proxy).status_code == 200
    # The address the proxy saw is the client: another one is counted apart, the same one is held back.
    other = {**through_proxy, "X-Forwarded-For": "203.0.113.10"}
    assert behind_one.post("/api/preview", data=form, headers=other).status_code == 200
    assert behind_one.post("/api/preview", data=form, headers=through_proxy).status_code == 429
    # A page not told of a proxy ignores the headers anyone could send.
    plain = hosted_client(hosts=("posts.example.org",)).get("/?hl=be", headers=through_proxy)
    assert "Secure" not in plain.headers["Set-Cookie"]


def test_a_forwarded_host_from_the_client_never_passes_the_host_check():
    """The proxy passes the Host it answered for; an X-Forwarded-Host is the client's own words."""
    behind_one = hosted_client(hosts=("posts.example.org",), trusted_proxies=1)
    for forged in ({"Host": "evil.example", "X-Forwarded-Host": "posts.example.org"},
                   {"Host": "evil.example", "X-Forwarded-Host": "localhost"}):
        assert behind_one.get("/api/options", headers=forged).status_code == 403
    port = {"Host": "posts.example.org", "X-Forwarded-Port": "1234", "Origin": "https://posts.example.org",
            "X-Forwarded-Proto": "https"}
    assert behind_one.post("/api/preview", data={"message": "Free them", "format": "x"},
                           headers=port).status_code == 200


def test_health_answers_any_host_without_rendering(monkeypatch):
    from generator.web import answers

    monkeypatch.setattr(answers, "render_preview", lambda spec: pytest.fail("the health check rendered"))
    response = hosted_client(ratelimit="1 per minute").get("/healthz", headers={"Host": "10.1.2.3"})
    assert (response.status_code, response.get_data(as_text=True)) == (200, "ok\n")
    assert response.headers["Cache-Control"] == "no-store"


def test_a_supporter_over_the_limit_gets_a_clear_429_in_json():
    client = hosted_client(ratelimit="2 per minute")
    for _ in range(2):
        assert client.post("/api/preview", data={"message": "Free them", "format": "x"}).status_code == 200
    for _ in range(5):  # reading the page is never limited
        assert client.get("/api/options").status_code == 200
    refused = client.post("/api/preview", data={"message": "Free them", "format": "x"})
    assert refused.status_code == 429
    assert refused.get_json() == {"error": "You have made many images in a short time. Wait a minute, then try "
                                           "again.", "field": "form", "kind": "rate-limited"}
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert not [name for name in refused.headers.keys() if name.startswith("X-RateLimit")]
    # Another supporter (another address) is not held back.
    other = client.post("/api/preview", data={"message": "Free them", "format": "x"},
                        environ_base={"REMOTE_ADDR": "192.0.2.8"})
    assert other.status_code == 200


def test_an_answer_within_the_limit_carries_no_limit_headers():
    answer = hosted_client(ratelimit="5 per minute").post("/api/preview", data={"message": "Free", "format": "x"})
    assert answer.status_code == 200
    assert not [name for name in answer.headers.keys() if name.startswith("X-RateLimit") or name == "Retry-After"]


def test_the_checks_while_typing_count_apart_from_the_images(monkeypatch):
    import generator.web.hosting as hosting

    monkeypatch.setattr(hosting, "CHECK_RATELIMIT", "3 per minute")
    client = hosted_client(ratelimit="2 per minute")
    form = {"message": "Free them", "format": "x"}
    assert [client.post("/api/check", data=form).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert [client.post("/api/preview", data=form).status_code for _ in range(3)] == [200, 200, 429]
    assert hosting.CHECK_RATELIMIT != hosting.DEFAULT_RATELIMIT


def test_a_store_that_stops_answering_is_said_once_without_its_address(caplog):
    client = hosted_client(ratelimit="5 per minute", ratelimit_storage="redis://:hunter2@127.0.0.1:9/0",
                           ratelimit_salt="s")
    with caplog.at_level("INFO"):
        answers = [client.post("/api/preview", data={"message": "Free them", "format": "x"}).status_code
                   for _ in range(2)]
    assert answers == [200, 200]  # the page goes on, each worker counting in its own memory
    lines = [record.getMessage() for record in caplog.records]
    assert lines.count("the rate limit's storage does not answer: each worker counts in its own memory until it "
                       "is back") == 1
    assert not [line for line in lines if "hunter2" in line or "127.0.0.1" in line or "Traceback" in line]


def test_a_request_past_its_time_limit_is_stopped_with_a_clear_answer(monkeypatch):
    from generator.web import answers

    def endless(spec):
        while True:
            pass

    monkeypatch.setattr(answers, "render_preview", endless)
    response = hosted_client(request_timeout=1).post("/api/preview", data={"message": "Free them", "format": "x"})
    assert response.status_code == 503
    assert response.get_json()["error"] == ("Making the image took too long. Try again in a moment, or with a "
                                            "smaller photo.")


def test_the_campaigns_kit_applies_to_every_post(tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGBA", (200, 80), (255, 220, 0, 255)).save(logo)
    kit = tmp_path / "kit.toml"
    kit.write_text('lang = "be"\nhashtags = ["#FreeBelarusMedics"]\n[colours]\npanel = "#1d1d1b"\n'
                   '[logo]\nfile = "logo.png"\nposition = "top-left"\n', encoding="utf-8")
    client = hosted_client(kit=kit)
    made = client.post("/api/post", data={"format": "instagram-square", "hashtags": "#StandWithBelarus #Medics"})
    assert made.status_code == 200, made.get_json()
    [post] = made.get_json()["posts"]
    assert post["language"] == "be"
    assert "#FreeBelarusMedics" in post["caption"] and "#Medics" in post["caption"]
    plain = create_app().test_client().post("/api/post", data={"format": "instagram-square", "lang": "be"})
    [plain_post] = plain.get_json()["posts"]
    assert plain_post["sha256"] != post["sha256"]
    image = Image.open(io.BytesIO(base64.b64decode(post["image"].split(",", 1)[1])))
    assert image.convert("RGB").getpixel((round(0.1 * 1080), round(0.1 * 1080)))[:2] != (0, 0)
    # The supporter's own language choice wins over the kit's default.
    english = client.post("/api/post", data={"format": "x", "lang": "en"}).get_json()["posts"][0]
    assert english["language"] == "en"


# --- the production command --------------------------------------------------------------------------------

def readme_production_command() -> list[str]:
    """The gunicorn command line in the README's hosting section, exactly as written."""
    lines = [line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("gunicorn ")]
    assert len(lines) == 1, lines
    return shlex.split(lines[0])


def test_the_readmes_heavy_pool_is_the_production_command_niced_and_gets_exactly_the_full_size_answers():
    readme = README.read_text(encoding="utf-8")
    [heavy_pool] = [shlex.split(line) for line in readme.splitlines() if line.startswith("nice -n ")]
    command = readme_production_command()
    assert heavy_pool[:3] == ["nice", "-n", "10"] and heavy_pool[3:] != command

    def option(argv, name):
        return argv[argv.index(name) + 1]

    assert option(heavy_pool, "--config") == option(command, "--config")
    assert option(heavy_pool, "--workers") == option(command, "--workers")  # makes still use every core
    upstreams = dict(re.findall(r"upstream (\w+) +\{ server (\S+); \}", readme))
    assert upstreams == {"solidarity_page": option(command, "--bind"), "solidarity_heavy": option(heavy_pool, "--bind")}
    assert "proxy_pass http://$solidarity_pool;" in readme
    # Its longer time limit (and gunicorn's kill 10 s later) ends before nginx stops waiting, in both forms.
    [by_hand, unit] = re.findall(r"SOLIDARITY_REQUEST_TIMEOUT=(\d+)", readme)
    [read_timeout] = re.findall(r"proxy_pass http://\$solidarity_pool;(?:\n.*?)*?proxy_read_timeout (\d+)s;", readme)
    assert by_hand == unit and int(unit) + 10 <= int(read_timeout)
    # The page's full-size answers (a post, a video) go to the heavy pool, and nothing else.
    [(by_path, path_pool)] = re.findall(r"map \$uri \$solidarity_pool \{.*\n\s+(\S+)\s+(\w+);\n\s+default\s+solidarity_page;",
                                       readme)
    assert path_pool == "solidarity_heavy" and by_path.startswith("~")
    for rule in create_app().url_map.iter_rules():
        full_size = rule.endpoint in ("page.post", "page.animate")
        assert bool(re.search(by_path[1:], rule.rule)) == full_size, rule.rule


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1]
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    pytest.fail("gunicorn did not answer /healthz in time")


def multipart(fields: list[tuple[str, str]], photo: bytes | None, filename: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                    for name, value in fields)
    if photo is not None:
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="{filename}"\r\n'
                 f'Content-Type: image/jpeg\r\n\r\n').encode() + photo + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_the_readmes_production_command_makes_a_post_and_keeps_nothing(tmp_path, photo):
    """gunicorn as the README runs it, 2 workers on loopback: a post is made through it; its logs hold
    neither the supporter's words, nor the photo's name, nor the supporter's address; nothing is written."""
    command = readme_production_command()
    assert command[:1] == ["gunicorn"] and "--workers" in command and "127.0.0.1:8000" in command
    port = free_port()
    argv = [sys.executable, "-m", "gunicorn", *(arg.replace("8000", str(port)) for arg in command[1:])]
    home, temporary, folder = (tmp_path / name for name in ("home", "tmp", "cwd"))
    for path in (home, temporary, folder):
        path.mkdir()
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(temporary), "SOLIDARITY_HOSTS": "posts.example.org",
           "SOLIDARITY_TRUSTED_PROXIES": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    process = subprocess.Popen(argv, cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    secret_words, secret_name, forwarded_address = "Zorka-7431 holds on", "Minsk-garden-2291", "203.0.113.77"
    try:
        wait_for_health(port, process)
        # One worker may answer before the other has booted: wait for the state, not for a time.
        assert wait_for_workers(process, 2) == 2
        body, kind = multipart([("message", secret_words), ("format", "x"), ("format", "instagram-square")],
                               photo.read_bytes(), f"{secret_name}.jpg")
        # From another loopback address than gunicorn's own, so that address can be looked for in the logs.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=("127.0.0.2", 0))
        connection.request("POST", "/api/post", body=body, headers={
            "Content-Type": kind, "Host": "posts.example.org",
            "X-Forwarded-For": forwarded_address, "X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        answer = json.loads(response.read())
        assert response.status == 200, answer
        assert [post["format"] for post in answer["posts"]] == ["x", "instagram-square"]
        for post in answer["posts"]:
            image = Image.open(io.BytesIO(base64.b64decode(post["image"].split(",", 1)[1])))
            assert image.size == (post["width"], post["height"]) and not image.info.get("exif")
        # A malformed request carrying the words, and a failing one: neither may leave them in a log.
        raw = socket.create_connection(("127.0.0.1", port), source_address=("127.0.0.2", 0))
        raw.sendall(f"GET /{secret_words.replace(' ', '%20')} HTTP/1.1\r\nHost: \x01{secret_name}\r\n\r\n".encode())
        raw.recv(1000)
        raw.close()
    finally:
        process.terminate()
        _, log = process.communicate(timeout=60)
    assert "Booting worker" in log  # the log was captured
    for secret in (secret_words, "Zorka", secret_name, forwarded_address, "127.0.0.2"):
        assert secret not in log, secret
    assert not re.search(r'"(GET|POST) /', log)  # no access log lines
    assert [path for path in (home, temporary, folder) if any(path.iterdir())] == []


def wait_for_workers(process: subprocess.Popen, count: int, seconds: float = 60) -> int:
    """How many worker processes gunicorn has, once it has `count` (or when `seconds` run out)."""
    deadline = time.monotonic() + seconds
    while True:
        workers = [stat for stat in Path("/proc").glob("[0-9]*/stat") if _parent_of(stat) == process.pid]
        if len(workers) >= count or time.monotonic() > deadline:
            return len(workers)
        try:
            process.wait(timeout=0.1)  # returns at once if gunicorn exits; it must not
        except subprocess.TimeoutExpired:
            continue
        pytest.fail(f"gunicorn exited while its workers booted: {process.communicate()[1]}")


def _parent_of(stat: Path) -> int | None:
    try:
        return int(stat.read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def test_the_pages_options_are_built_once_per_language_however_the_browser_asks(monkeypatch):
    from generator.web import answers

    client = hosted_client(hosts=("posts.example.org",))
    client.set_cookie("theme", "dark")  # a cookie of no meaning to the page
    first = client.get("/api/options", headers={"Accept-Language": "be"})
    built = []
    original = answers.options_payload
    monkeypatch.setattr(answers, "options_payload", lambda *args: built.append(args) or original(*args))
    # Browsers word the same choice many ways; each of these reads the page in Belarusian.
    for path, headers in [("/api/options", {"Accept-Language": "be-BY,be;q=0.9,ru;q=0.8"}),
                          ("/api/options?hl=be", {"Accept-Language": "de"}),
                          ("/api/options?hl=be", {"Host": "posts.example.org"})]:
        again = client.get(path, headers=headers)
        assert (again.status_code, again.get_data(), again.headers["Content-Type"]) == (
            200, first.get_data(), first.headers["Content-Type"])
    client.set_cookie("hl", "be")  # the switcher's choice
    assert client.get("/api/options", headers={"Accept-Language": "fr"}).get_data() == first.get_data()
    client.delete_cookie("hl")
    assert built == []
    assert {"Accept-Language", "Cookie"} <= set(first.vary)  # so a shared cache keeps one per language too
    arabic = client.get("/api/options", headers={"Accept-Language": "ar"})  # another language, built for itself
    assert len(built) == 1 and arabic.get_data() != first.get_data()
    # A kept answer does not skip the host check.
    assert client.get("/api/options", headers={"Accept-Language": "be", "Host": "evil.example"}).status_code == 403


def test_the_limit_is_explained_in_the_supporters_language():
    client = hosted_client(ratelimit="1 per minute")
    belarusian = {"Accept-Language": "be"}
    assert client.post("/api/preview", data={"message": "Free them", "format": "x"}, headers=belarusian).status_code == 200
    refused = client.post("/api/preview", data={"message": "Free them", "format": "x"}, headers=belarusian)
    assert refused.status_code == 429
    assert refused.get_json()["error"] == "Вы зрабілі шмат выяў за кароткі час. Пачакайце хвіліну і паспрабуйце зноў."


def test_the_hosted_page_says_what_the_server_keeps_in_the_supporters_language():
    hosted = hosted_client().get("/", headers={"Accept-Language": "be"}).get_data(as_text=True)
    assert "ваш адрас не запісваецца" in hosted
    from generator.web import create_app

    local = create_app().test_client().get("/", headers={"Accept-Language": "be"}).get_data(as_text=True)
    assert "ваш адрас не запісваецца" not in local and "нідзе не захоўваецца" in local


@pytest.mark.parametrize("name, value", [("RATELIMIT", "lots"), ("REQUEST_TIMEOUT", "soon"), ("MAX_UPLOAD_MB", "0")])
def test_gunicorn_refuses_a_bad_setting_in_one_line_before_any_worker_starts(name, value):
    # A bad setting showed as a traceback from every worker that gunicorn then failed to boot.
    env = {**os.environ, f"SOLIDARITY_{name}": value}
    result = subprocess.run([sys.executable, "-c", "import generator.web.gunicorn_conf"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith(f"Error: SOLIDARITY_{name}={value}: ") and result.stderr.count("\n") == 1


# --- the README's nginx, for real ----------------------------------------------------------------------------

NGINX = shutil.which("nginx") or next((path for path in ("/usr/sbin/nginx",) if os.access(path, os.X_OK)), None)


def readme_nginx_config(folder: Path, ports: dict[str, int]) -> str:
    """The README's nginx blocks as a whole config, changed only where a test must: loopback ports, a
    self-signed certificate and files in `folder`; the heavy pool's `proxy_pass` put in as the README says."""
    site, pools, location = re.findall(r"```nginx\n(.*?)```", README.read_text(encoding="utf-8"), re.S)[:3]
    [plain_location] = re.findall(r"^    location / \{\n.*?^    \}\n", site, re.S | re.M)
    changes = [
        (site, plain_location, location),  # the heavy pool's `location /`, as the README says to put it
        (pools, "server 127.0.0.1:8000;", f"server 127.0.0.1:{ports['page']};"),
        (pools, "server 127.0.0.1:8001;", f"server 127.0.0.1:{ports['heavy']};"),
        (site, "listen 443 ssl default_server;", f"listen 127.0.0.1:{ports['tls']} ssl default_server;"),
        (site, "listen 443 ssl;", f"listen 127.0.0.1:{ports['tls']} ssl;"),
        (site, "listen 80 default_server;", f"listen 127.0.0.1:{ports['plain']} default_server;"),
        (site, "root /var/www/letsencrypt;", f"root {folder / 'webroot'};"),
        (site, "/etc/letsencrypt/live/posts.example.org/fullchain.pem", str(folder / "cert.pem")),
        (site, "/etc/letsencrypt/live/posts.example.org/privkey.pem", str(folder / "key.pem")),
        (site, "/var/log/nginx/solidarity.error.log", str(folder / "error.log")),
        (site, "/dev/shm/solidarity-nginx", str(folder / "proxy")),
    ]
    texts = {"site": site, "pools": pools}
    for text, old, new in changes:
        name = "site" if text is site else "pools"
        assert texts[name].count(old) == (3 if old.endswith("error.log") else 1), old  # one error log a server
        texts[name] = texts[name].replace(old, new)
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (f"{user}pid {folder}/nginx.pid;\nerror_log {folder}/main.log;\nevents {{}}\nhttp {{\n"
            f"client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy; fastcgi_temp_path {folder}/f;\n"
            f"uwsgi_temp_path {folder}/u; scgi_temp_path {folder}/s;\n"
            f"access_log {folder}/access.log;\n"  # as Debian's nginx.conf has them (the error log at http level in
            f"error_log {folder}/http.log;\n"  # older releases): the site's own lines must win over both
            f"{texts['pools']}{texts['site']}}}\n")


def through_nginx(port: int, method: str, path: str, body=None, kind: str | None = None, **headers: str):
    """One request over TLS to posts.example.org, as a phone's browser sends it: the status (None when the
    server closes the connection without an answer) and the body. A body that is a list goes in chunks."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    connection = http.client.HTTPConnection("posts.example.org", timeout=60)
    connection.sock = context.wrap_socket(socket.create_connection(("127.0.0.1", port)),
                                          server_hostname="posts.example.org")
    headers = {name.replace("_", "-"): value for name, value in headers.items()}
    if kind:
        headers["Content-Type"] = kind
    try:
        connection.request(method, path, body=body, headers=headers, encode_chunked=isinstance(body, list))
        response = connection.getresponse()
        return response.status, response.read()
    except http.client.RemoteDisconnected:
        return None, b""
    finally:
        connection.close()


def wait_for_answer(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    """Until the server on `port` answers at all (nginx's port 80 answers with a redirect)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited"
        try:
            plain_http(port, "/")
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"nothing answered on port {port} in time")


def plain_http(port: int, path: str) -> tuple[int, str | None]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers={"Host": "posts.example.org"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, response.getheader("Location")


@pytest.mark.skipif(NGINX is None or shutil.which("openssl") is None, reason="nginx or openssl is not installed")
def test_the_readmes_nginx_sends_makes_to_the_heavy_pool_and_records_no_one(tmp_path):
    ports = {name: free_port() for name in ("page", "heavy", "tls", "plain")}
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=posts.example.org", "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
                   check=True, capture_output=True)
    challenge = tmp_path / "webroot" / ".well-known" / "acme-challenge" / "token-1"
    challenge.parent.mkdir(parents=True)
    challenge.write_text("proof", encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(readme_nginx_config(tmp_path, ports), encoding="utf-8")
    checked = subprocess.run([NGINX, "-t", "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    env = {**os.environ, "SOLIDARITY_HOSTS": "posts.example.org", "SOLIDARITY_TRUSTED_PROXIES": "1"}
    heavy_line = next(line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("nice -n "))
    pools = {}
    for name, argv in (("page", readme_production_command()[1:]), ("heavy", shlex.split(heavy_line)[4:])):
        argv = [arg.replace("8000", str(ports["page"])).replace("8001", str(ports["heavy"])) for arg in argv]
        argv[argv.index("--workers") + 1] = "1"  # one worker each is enough to see where a request goes
        pools[name] = subprocess.Popen([sys.executable, "-m", "gunicorn", *argv], cwd=tmp_path, env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proxy = subprocess.Popen([NGINX, "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    buffer = io.BytesIO()
    Image.effect_noise((420, 420), 90).convert("RGB").save(buffer, "JPEG", quality=95)
    photo = buffer.getvalue()
    assert len(photo) >= 100_000
    plain, plain_kind = multipart([("message", "Free the medics"), ("format", "x")], None, "")
    with_photo, photo_kind = multipart([("message", "Free the medics"), ("format", "x")], photo, "meadow.jpg")
    requests = {"page": ("GET", "/"), "options": ("GET", "/api/options"), "page health": ("GET", "/healthz"),
                "heavy health": ("GET", "/healthz/heavy"), "preview": ("POST", "/api/preview", plain, plain_kind),
                "photo preview": ("POST", "/api/preview", with_photo, photo_kind),
                "chunked photo": ("POST", "/api/preview", [with_photo[:50_000], with_photo[50_000:]], photo_kind),
                "make": ("POST", "/api/post", plain, plain_kind), "make?": ("POST", "/api/post?x=1", plain, plain_kind)}
    heavy = {"heavy health", "make", "make?"}  # a photo's preview stays with the page: it is typed against
    try:
        for name in ("page", "heavy"):
            wait_for_health(ports[name], pools[name])
        wait_for_answer(ports["plain"], proxy)
        assert {name: through_nginx(ports["tls"], *request)[0] for name, request in requests.items()} == {
            name: 200 for name in requests}
        # Another name, even with this certificate's: no answer at all. Plain HTTP: to https, but renewals.
        assert through_nginx(ports["tls"], "GET", "/", Host="other.example") == (None, b"")
        assert plain_http(ports["plain"], "/?lang=be") == (301, "https://posts.example.org/?lang=be")
        assert plain_http(ports["plain"], "/.well-known/acme-challenge/token-1") == (200, None)
        assert plain_http(ports["plain"], "/.well-known/acme-challenge/none")[0] == 404  # an error-level line
        pools["heavy"].terminate()
        pools["heavy"].wait(timeout=60)
        statuses = {name: through_nginx(ports["tls"], *request)[0] for name, request in requests.items()}
        assert statuses == {name: 502 if name in heavy else 200 for name in requests}
    finally:
        for process in (proxy, *pools.values()):
            process.terminate()
        for process in (proxy, *pools.values()):
            process.wait(timeout=60)
    logs = {path.name: path.read_text(encoding="utf-8") for path in tmp_path.glob("*.log")}
    assert logs.get("access.log", "") == ""  # the site's `access_log off` wins over nginx.conf's log
    assert not [name for name, text in logs.items() if "127.0.0.1" in text or "client:" in text], logs
