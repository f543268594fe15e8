"""`make bench`: the portal as in production, under load from a separate process.

1. A fresh PostgreSQL database (BENCH_DATABASE_URL, default portal_bench) with the bundled
   content, 5,000 generated articles and 100,000 returns.
2. gunicorn on production settings, the outbox worker, and a local SMTP sink for its mail.
3. wrk (Debian's package; installed when missing) drives each page for a fixed time at 32
   connections, the do-nothing floor view first, under the same server.
4. A table on the terminal and var/bench/latest.json: requests per second, p50/p95/p99
   latency, the ratio to the floor, SQL queries per request and first-visit bytes.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlparse

import psycopg

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "var" / "bench"
PORT = int(os.environ.get("BENCH_PORT", "8410"))
SMTP_PORT = PORT + 1
# The shared cache as deployed: Redis, under a prefix of the benchmark's own, emptied each run.
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/6?key_prefix=portal_bench")
BASE = f"http://127.0.0.1:{PORT}"
PY = sys.executable
sys.path.insert(0, str(REPO))

from bench.data import RETURN  # noqa: E402
from bench.lua import POST_LUA, REPORT_LUA  # noqa: E402
from bench.photo import photo_latency, photo_line  # noqa: E402
from bench.report import print_table, verdicts  # noqa: E402
from bench.searches import query_mix, wrk_script  # noqa: E402

TARGETS = {
    "throughput_vs_floor": 0.80,  # article, topic and guide pages
    "throughput_vs_bare": 0.70,  # the same pages against a bare Django serving the same bytes
    "search_vs_floor": 0.50,
    "p99_ms": 50.0,
    "first_visit_kb": 30.0,
    "htmx_step_kb": 5.0,
    "search_p95_ms": 30.0,
    "return_queries": 12,
    "admin_p95_ms": 100.0,
}
STAMP_OFFSETS = itertools.count(0, 20_000)
# Part of each return's serial number: a serial with an open return is refused (409).
RUN = secrets.token_hex(3).upper()
# The floor measured again after each page (see main).
FLOOR_SECONDS = 4
SHARED_PAGES = ("article", "topic", "guide step", "guide step (htmx)")


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk is missing: installing Debian's package")
    if os.geteuid() != 0:
        sys.exit("wrk is not installed: run `sudo apt-get install -y wrk` and try again.")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        env=os.environ | {"DEBIAN_FRONTEND": "noninteractive"},
    )
    return shutil.which("wrk") or sys.exit("wrk could not be installed.")


def bench_env(database_url: str) -> dict[str, str]:
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "EMAIL_", "OUTBOX_", "RETURNS_"))
    } | {
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        # No TLS proxy in front of this machine-local run; everything else as deployed.
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
        "PORTAL_BENCH": "1",
        # The load generator is one client sending thousands of returns a minute.
        "RETURNS_RATE_LIMIT": "100000000/h",
        "FORM_MIN_FILL_SECONDS": "0",
        "RETURNS_SHIP_TO": "POS Returns (benchmark), Teststraat 1, 1011 AA Amsterdam",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        "CACHE_URL": CACHE_URL,
    }


def recreate_database(database_url: str) -> None:
    parsed = urlparse(database_url)
    name = parsed.path.lstrip("/")
    admin_url = database_url.replace("postgres://", "postgresql://").rsplit("/", 1)[0]
    with psycopg.connect(admin_url + "/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=REPO, env=env, check=True)


class MailSink:
    """Counts what the worker delivers; the bench checks nothing is left behind."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.count = 0
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=SMTP_PORT)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        with self.lock:
            self.count += 1
        return "250 OK"


def wait_until_up(server: subprocess.Popen) -> None:
    for _ in range(600):
        if server.poll() is not None:
            sys.exit("gunicorn stopped during start-up: see the output above.")
        try:
            urllib.request.urlopen(BASE + "/healthz", timeout=2)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    sys.exit("gunicorn did not answer within a minute.")


def fetch(path: str, headers: dict[str, str] | None = None, timeout: float = 60):
    request = urllib.request.Request(BASE + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def first_visit_bytes(path: str, headers: dict[str, str] | None = None) -> dict[str, int]:
    """Compressed bytes a new visitor downloads: the page and the static files it uses."""
    gzip = {"Accept-Encoding": "gzip"} | (headers or {})
    _status, _headers, body = fetch(path, gzip)
    html = body
    if _headers.get("Content-Encoding") == "gzip":
        import gzip as gzip_module

        html = gzip_module.decompress(body)
    # Stylesheets, scripts, the icon sprite and images: everything from our static files.
    assets = sorted(set(re.findall(rb'(?:href|src)="(/static/[^"#]+)', html)))
    asset_bytes = 0
    for url in assets:
        _s, _h, asset = fetch(url.decode(), gzip)
        asset_bytes += len(asset)
    return {"html": len(body), "assets": asset_bytes, "total": len(body) + asset_bytes}


def caching(path: str) -> dict[str, object]:
    status, headers, _body = fetch(path)
    etag = headers.get("ETag", "")
    again, _h, _b = fetch(path, {"If-None-Match": etag}) if etag else (status, {}, b"")
    return {
        "cache_control": headers.get("Cache-Control", ""),
        "etag": bool(etag),
        "last_modified": "Last-Modified" in headers,
        "revalidates_304": again == 304,
    }


def wrk(
    binary: str,
    path: str,
    *,
    seconds: int,
    connections: int,
    headers: dict[str, str] | None = None,
    post_body: str = "",
    request_lua: str = "",
    base: str = BASE,
) -> dict[str, float]:
    script = OUT / "wrk.lua"
    lua = request_lua + REPORT_LUA
    if post_body:
        wrk_headers = "{" + ", ".join(f'["{k}"] = "{v}"' for k, v in (headers or {}).items())
        lua = (
            f'BODY = "{post_body}"\nPATH = "{path}"\nHEADERS = {wrk_headers}}}\n'
            # Each run starts further on in the keys, so no run repeats another's.
            + f'OFFSET = {next(STAMP_OFFSETS)}\nRUN = "{RUN}"\n'
            + (OUT / "stamps.lua").read_text()
            + POST_LUA
            + REPORT_LUA
        )
    script.write_text(lua)
    # A long timeout: wrk leaves slower answers out of its latencies, which would flatter them.
    command = [binary, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
    command += ["-s", str(script)]
    for name, value in (headers or {}).items():
        if not post_body:
            command += ["-H", f"{name}: {value}"]
    command.append(base + path)
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    result = json.loads(line.removeprefix("BENCH "))
    return {
        "rps": result["requests"] / result["seconds"],
        "p50_ms": result["p50_us"] / 1000,
        "p95_ms": result["p95_us"] / 1000,
        "p99_ms": result["p99_us"] / 1000,
        "errors": result["errors"] + result["bad_status"],
        "requests": result["requests"],
    }


def drain() -> None:
    """Wait until the requests wrk left queued in gunicorn's backlog are answered."""
    fetch("/bench/floor", timeout=600)


def one_client(
    path: str | list[str], headers: dict[str, str], count: int = 200, budget: float = 10
):
    """One merchant at a time, no queueing: the page's own latency (at most `budget` s)."""
    timings = []
    paths = [path] if isinstance(path, str) else path
    deadline = time.monotonic() + budget
    while len(timings) < count and (len(timings) < 5 or time.monotonic() < deadline):
        started = time.perf_counter()
        fetch(paths[len(timings) % len(paths)], headers)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()

    def percentile(share: float) -> float:
        return timings[max(0, int(len(timings) * share) - 1)]

    return {"p50_ms": percentile(0.5), "p95_ms": percentile(0.95), "p99_ms": percentile(0.99)}


def wait_for_mail(database_url: str, sink: MailSink, timeout: float = 300) -> dict[str, int]:
    url = database_url.replace("postgres://", "postgresql://")
    deadline = time.monotonic() + timeout
    with psycopg.connect(url, autocommit=True) as db:
        while True:
            queued, waiting = db.execute(
                "SELECT count(*), count(*) FILTER (WHERE status <> 'sent') "
                "FROM outbox_outboxmessage"
            ).fetchone()
            if not waiting or time.monotonic() > deadline:
                return {"queued": queued, "not_sent": waiting, "delivered": sink.count}
            time.sleep(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="load time per page")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2)
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database")
    options = parser.parse_args()

    binary = ensure_wrk()
    OUT.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench"
    )
    env = bench_env(database_url)
    if not options.reuse:
        log(f"fresh database {database_url}")
        recreate_database(database_url)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_content")
        started = time.monotonic()
        subprocess.run([PY, "bench/seed.py"], cwd=REPO, env=env, check=True)
        log(f"seeded in {time.monotonic() - started:.0f} s")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "shell", "-c", "from django.core.cache import caches; caches['default'].clear()")

    sink = MailSink()
    sink.controller.start()
    processes = []
    try:
        server = subprocess.Popen(
            [PY, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{PORT}"]
            + ["--workers", str(options.workers), "--access-logfile", "/dev/null"],
            cwd=REPO,
            env=env,
        )
        processes.append(server)
        processes.append(
            subprocess.Popen([PY, "manage.py", "run_worker", "--interval", "1"], cwd=REPO, env=env)
        )
        wait_until_up(server)
        probe = json.loads(
            subprocess.run(
                [PY, "bench/probe.py"], cwd=REPO, env=env, check=True, capture_output=True
            ).stdout
        )
        paths = probe["paths"]
        # The bare Django runs beside the portal from here on, idle but for its own
        # measurements, so each page is compared with it measured at the same moment.
        _s, _h, article_bytes = fetch(paths["article"])
        bare_base = start_bare(article_bytes, options, processes)
        admin = {"Cookie": f"sessionid={probe['session_cookie']}"}
        _s, form_headers, form_html = fetch("/returns/new/")
        csrf_cookie = re.search(r"csrftoken=(\w+)", form_headers.get("Set-Cookie", ""))
        csrf_field = re.search(rb'name="csrfmiddlewaretoken" value="(\w+)"', form_html)
        post_body = urlencode(
            RETURN
            | {
                "csrfmiddlewaretoken": csrf_field.group(1).decode(),
            }
        )
        mix = [f"/search/?{urlencode({'q': query})}" for query in query_mix(200)]
        scenarios = [
            ("floor", "/bench/floor", {}, ""),
            ("home", "/", {}, ""),
            ("topic", paths["topic"], {}, ""),
            ("article", paths["article"], {}, ""),
            ("guide step", paths["guide_step"], {}, ""),
            ("guide step (htmx)", paths["guide_step"], {"HX-Request": "true"}, ""),
            ("search (mix)", "/search/", {}, ""),
            (
                "return form submission",
                "/returns/new/",
                {
                    "Cookie": f"csrftoken={csrf_cookie.group(1)}",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
                post_body,
            ),
            ("admin return list", "/admin/returns/return/", admin, ""),
        ]
        results: dict[str, dict] = {}
        floor_before = bare_before = 0.0
        for name, path, headers, body in scenarios:
            log(f"{name}: {path}")
            script = wrk_script() if name == "search (mix)" else ""
            load = {"connections": options.connections, "headers": headers, "post_body": body}
            wrk(binary, path, seconds=2, request_lua=script, **load)
            drain()
            result = wrk(binary, path, seconds=options.seconds, request_lua=script, **load)
            drain()
            # The machine's speed drifts by half within minutes: each page is compared with
            # both floors measured just before and just after it, not only with the first ones.
            floor_after = wrk(
                binary, "/bench/floor", seconds=FLOOR_SECONDS, connections=options.connections
            )["rps"]
            drain()
            bare_after = wrk(
                binary,
                "/article",
                seconds=FLOOR_SECONDS,
                connections=options.connections,
                base=bare_base,
            )["rps"]
            result["adjacent_floor"] = (floor_before + floor_after) / 2 if floor_before else 0
            result["adjacent_bare"] = (bare_before + bare_after) / 2 if bare_before else 0
            floor_before, bare_before = floor_after, bare_after
            result["path"] = path
            result["queries"] = probe["queries"].get(name)
            if not body:
                result["one_client"] = one_client(mix if script else path, headers)
                result["first_visit_bytes"] = first_visit_bytes(
                    "/search/?q=card+declined" if script else path, headers
                )
                if not headers:
                    result["caching"] = caching(path)
            results[name] = result
        same_bytes = {
            name: two_visitors(path)
            for name, path in (("article", paths["article"]), ("guide step", paths["guide_step"]))
        }
        log("bare Django floor: the article's bytes from a Django with two middleware")
        bare = bare_floor(binary, bare_base, options)
        log("photo of the screen to the fix: 12 MP JPEG photos, one client")
        photo = photo_latency(BASE)
        log("waiting for the worker to deliver the mail the returns queued")
        mail = wait_for_mail(database_url, sink)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        sink.controller.stop()

    results["bare Django floor"] = bare
    log("search on SQLite: 5,000 articles, one client")
    sqlite_search = json.loads(
        subprocess.run(
            [PY, "bench/search_sqlite.py", *(["--reuse"] if options.reuse else [])],
            cwd=REPO,
            env=bench_env(database_url) | {"DJANGO_ENV": "dev", "DJANGO_DEBUG": "false"},
            check=True,
            capture_output=True,
            text=True,
        ).stdout.splitlines()[-1]
    )
    floor = results["floor"]["rps"]
    bare_rps = results["bare Django floor"]["rps"]
    for result in results.values():
        result["ratio_to_floor"] = result["rps"] / (result.get("adjacent_floor") or floor)
        result["ratio_to_bare"] = result["rps"] / (result.get("adjacent_bare") or bare_rps)

    report = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()}: {os.cpu_count()} cores, {platform.python_version()}",
        "setup": {
            "server": f"gunicorn, {options.workers} sync workers, production settings",
            "database": "PostgreSQL, bundled content + 5,000 articles + 100,000 returns",
            "cache": "Redis (CACHE_URL)",
            "load": f"wrk, 2 threads, {options.connections} connections, {options.seconds} s",
        },
        "targets": TARGETS,
        "results": results,
        "same_bytes": same_bytes,
        "sqlite_search": sqlite_search,
        "mail": mail,
        "photo_search": photo,
    }
    report["verdicts"] = verdicts(report, TARGETS, SHARED_PAGES)
    (OUT / "latest.json").write_text(json.dumps(report, indent=2))
    print_table(report)
    print(photo_line(photo))
    print(f"\nwritten to {OUT.relative_to(REPO) / 'latest.json'}")


def two_visitors(path: str) -> dict[str, bool]:
    """Two new anonymous visitors: the same bytes, shareable by a CDN, no cookie."""
    (_s1, first_headers, first), (_s2, second_headers, second) = fetch(path), fetch(path)
    return {
        "identical": first == second,
        "public": all(
            h.get("Cache-Control", "").startswith("public") for h in (first_headers, second_headers)
        ),
        "set_cookie": any("Set-Cookie" in h for h in (first_headers, second_headers)),
    }


def start_bare(body: bytes, options: argparse.Namespace, processes: list) -> str:
    """Start the bare Django serving ``body``; its address, once it answers."""
    saved = OUT / "article.html"
    saved.write_bytes(body)
    port = PORT + 2
    processes.append(
        subprocess.Popen(
            [PY, "-m", "gunicorn", "bench.bare:application", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", str(options.workers), "--access-logfile", "/dev/null"],
            cwd=REPO,
            env=os.environ | {"BENCH_BARE_BODY": str(saved)},
        )
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/article", timeout=2)
            return base
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    sys.exit("the bare Django did not answer within 30 s.")


def bare_floor(binary: str, base: str, options: argparse.Namespace) -> dict[str, float]:
    wrk(binary, "/article", seconds=2, connections=options.connections, base=base)
    result = wrk(
        binary, "/article", seconds=options.seconds, connections=options.connections, base=base
    )
    result["path"] = "/article (bench/bare.py)"
    result["queries"] = 0
    return result


if __name__ == "__main__":
    main()
