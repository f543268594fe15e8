"""Parts of the production stack that the fault tests break on purpose.

- a portal served by gunicorn in its own process, as in production;
- merchants as HTTP clients (cookies, CSRF token and the form's hidden fields, like a browser);
- a worker process that can be killed;
- a private PostgreSQL cluster in a temporary folder that can be stopped and started
  without touching the machine's own PostgreSQL, which other people use.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import SmtpServer, _Inbox

REPO = Path(__file__).resolve().parents[2]
# This engineer's agreed share of the machine's ports.
PORTS = range(8400, 8500)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError(f"no free port between {PORTS.start} and {PORTS.stop - 1}")


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)


# --- the portal's own processes -------------------------------------------------------

PORTAL_ENV = {
    "DJANGO_ENV": "dev",
    "DJANGO_DEBUG": "false",
    # The fault tests send hundreds of returns from one address as fast as they can.
    "RETURNS_RATE_LIMIT": "100000/h",
    "FORM_MIN_FILL_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
}


class Process:
    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._log_file = log.open("ab")
        # A session of its own, so that the process and any child it starts (Django's
        # autoreloader runs the real worker in a child) are signalled together.
        self.popen = subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def _signal(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)

    def kill(self) -> None:
        """SIGKILL: no clean-up, as when a machine or container dies."""
        self._signal(signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.popen.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._signal(signal.SIGKILL)  # whatever the process left behind
        self._log_file.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def processes(tmp_path) -> Iterator[Callable[..., Process]]:
    started: list[Process] = []

    def start(name: str, command: list[str], env: dict[str, str]) -> Process:
        process = Process(command, env, tmp_path / f"{name}-{len(started)}.log")
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()


def worker_command(*extra: str) -> list[str]:
    return [sys.executable, "manage.py", "run_worker", "--no-startup-delay", *extra]


def gunicorn_command(port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "portal.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--threads",
        "4",
        "--timeout",
        "30",
    ]


def start_portal(processes, env: dict[str, str]) -> str:
    port = free_port()
    server = processes("gunicorn", gunicorn_command(port), env)
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        if server.popen.poll() is not None:
            raise AssertionError(f"gunicorn stopped:\n{server.output()}")
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False
        return True

    wait_for(answers, 60, "gunicorn to answer")
    return url


# --- merchants ------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    url: str
    text: str


class Merchant:
    """One browser's worth of state: its cookies. Follows redirects like a browser."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def request(self, path: str, data: dict[str, str] | None = None) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                return Answer(response.status, response.url, response.read().decode())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.url, error.read().decode(errors="replace"))

    def file_return(self, details: dict[str, str], path: str = "/returns/new/") -> Answer:
        form = self.request(path)
        if form.status != 200:
            return form
        hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.text))
        return self.request(path, hidden | details)


# --- mail -----------------------------------------------------------------------------


class _SlowInbox(_Inbox):
    """Takes `delay` seconds to accept each message, so a worker can be caught mid-send."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def slow_smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.inbox = _SlowInbox(delay=0.3)
    server.start()
    yield server
    server.stop()


# --- a private PostgreSQL -------------------------------------------------------------


class PrivateCluster:
    """A throw-away PostgreSQL cluster owned by the `postgres` user, on its own port."""

    def __init__(self, root: Path, port: int) -> None:
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not binaries:
            pytest.skip("PostgreSQL server binaries are not installed")
        self.bin = Path(binaries[-1]).parent
        self.root = root
        self.data = root / "data"
        self.port = port
        self.url = f"postgres://postgres@127.0.0.1:{port}/portal_faults"

    def _run(self, *command: str) -> None:
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*as_postgres, *command], check=True, capture_output=True, timeout=60)

    def create(self) -> None:
        self.root.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust")
        self.start()
        self._run(
            str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "portal_faults"
        )

    def start(self) -> None:
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "postgres.log"),
            "-o",
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off",
            "-w",
            "start",
        )

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")


@pytest.fixture
def private_postgres() -> Iterator[PrivateCluster]:
    if shutil.which("runuser") is None and os.geteuid() == 0:
        pytest.skip("runuser is needed to start PostgreSQL as its own user")
    # Outside pytest's own temporary folder, which only root may enter.
    root = Path(tempfile.mkdtemp(prefix="portal-faults-pg-"))
    root.chmod(0o755)
    cluster = PrivateCluster(root / "cluster", free_port())
    try:
        cluster.create()
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # stopped by the test
            cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
