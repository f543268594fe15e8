"""The compose topology as local processes: Caddy with deploy/Caddyfile in front of gunicorn.

Two merchants are two loopback addresses (127.0.0.2 and 127.0.0.3) that Caddy sees
connecting; gunicorn only ever sees Caddy, and runs with TRUSTED_PROXY_COUNT=1.
"""

from __future__ import annotations

import http.client
import shutil
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from portal.settings import BASE_DIR
from tests.conftest import free_port
from tests.guard.conftest import hidden_fields

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.usefixtures("empty_rate_limits"),
]

CADDY = shutil.which("caddy")


class Merchant:
    """A browser on its own address, talking to the proxy."""

    def __init__(self, proxy_port: int, address: str, form_data) -> None:
        self.proxy_port = proxy_port
        self.address = address
        self.form_data = form_data
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str = "", **headers: str):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.proxy_port, timeout=30, source_address=(self.address, 0)
        )
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            content = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies |= {name: morsel.value for name, morsel in SimpleCookie(header).items()}
        return response.status, content

    def file_return(self, number: int, **headers: str) -> int:
        _status, page = self.request("GET", "/returns/new/")
        data = self.form_data(serial_number=f"GUARD{number:05d}") | hidden_fields(page)
        status, _page = self.request(
            "POST", "/returns/new/", urllib.parse.urlencode(data), **headers
        )
        return status


def wait_until_up(port: int, process: subprocess.Popen, name: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"{name} did not start")
        time.sleep(0.2)


def logged_posts(access_log: Path, expected: int) -> list[str]:
    # gunicorn writes a line once the answer is sent, so the last one may still be coming.
    deadline = time.monotonic() + 10
    while True:
        log = access_log.read_text().splitlines()
        lines = [line for line in log if "POST /returns/new/" in line]
        if len(lines) >= expected or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


@pytest.fixture
def proxied_portal(subprocess_env, tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """gunicorn behind Caddy on loopback; yields Caddy's port and gunicorn's access log."""
    if CADDY is None:
        pytest.skip("Caddy is not installed (apt-get install caddy): no proxy to put in front")
    portal_port, proxy_port = free_port(), free_port()
    access_log = tmp_path / "access.log"
    portal = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "portal.wsgi",
            "--bind", f"127.0.0.1:{portal_port}", "--workers", "2",
            "--access-logfile", str(access_log),
            "--logger-class", "guard.access_log.AccessLogger",
        ],
        cwd=BASE_DIR,
        env=subprocess_env(
            TRUSTED_PROXY_COUNT="1",
            RETURNS_RATE_LIMIT="2/h",
            FORM_MIN_FILL_SECONDS="0",
            SITE_URL=f"http://127.0.0.1:{proxy_port}",
        ),
    )  # fmt: skip
    # The deployment's own Caddyfile, on a loopback port without TLS and without the admin API.
    config = tmp_path / "Caddyfile"
    config.write_text(
        "{\n\tadmin off\n\tdefault_bind 127.0.0.1\n}\n"
        f"import {BASE_DIR / 'deploy' / 'Caddyfile'}\n"
    )
    proxy = subprocess.Popen(
        [CADDY, "run", "--config", str(config), "--adapter", "caddyfile"],
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "XDG_DATA_HOME": str(tmp_path / "caddy-data"),
            "XDG_CONFIG_HOME": str(tmp_path / "caddy-config"),
            "SITE_ADDRESS": f"http://127.0.0.1:{proxy_port}",
            "UPSTREAM": f"127.0.0.1:{portal_port}",
        },
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "caddy.log").open("w"),
    )
    try:
        wait_until_up(portal_port, portal, "gunicorn")
        wait_until_up(proxy_port, proxy, "Caddy")
        yield proxy_port, access_log
    finally:
        for process in (proxy, portal):
            process.terminate()
        for process in (proxy, portal):
            process.wait(timeout=30)


def test_two_merchants_behind_caddy_are_limited_separately(proxied_portal, form_data):
    proxy_port, access_log = proxied_portal
    busy = Merchant(proxy_port, "127.0.0.2", form_data)
    other = Merchant(proxy_port, "127.0.0.3", form_data)

    assert [busy.file_return(n) for n in range(1, 4)] == [302, 302, 429]
    # Caddy replaces whatever X-Forwarded-For a client sends with the address it saw.
    forged = [busy.file_return(n, **{"X-Forwarded-For": f"198.51.100.{n}"}) for n in (4, 5)]
    assert forged == [429, 429]
    assert other.file_return(6) == 302

    # The access log names each merchant, not the proxy both came through.
    assert [line.split()[0] for line in logged_posts(access_log, 6)] == (
        ["127.0.0.2"] * 5 + ["127.0.0.3"]
    )
