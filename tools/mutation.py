"""Mutation testing of the modules that must never silently break: `make mutation`.

mutmut (configured under [tool.mutmut] in pyproject.toml) changes one thing at a time in each
module listed in `only_mutate` and runs the fast tests of the module's app (tests/<app>/) that
execute the changed function, on SQLite. A change that no test notices survives: a bug the
tests would let through. This prints each module's survivors and score.

    python tools/mutation.py                      # every module in only_mutate
    python tools/mutation.py outbox/delivery.py   # some of them
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
MUTMUT = Path(sys.executable).with_name("mutmut")
CAUGHT = {"killed", "timeout", "segfault", "caught by type check"}
# Not a verdict on the tests: mutmut did not get to run them.
UNTRIED = {"not checked", "skipped", "check was interrupted by user"}


def mutmut_config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]


def copy_other_apps() -> None:
    """Copy the portal's apps that nothing is mutated in, as they are, into mutants/.

    mutmut copies only its source_paths, and the tests need a whole portal: any app added
    later is found here by its apps.py, so it needs no line in pyproject.toml.
    """
    mutated = set(mutmut_config()["source_paths"])
    for apps_file in sorted(ROOT.glob("*/apps.py")):
        app = apps_file.parent
        if app.name not in mutated:
            shutil.copytree(app, MUTANTS / app.name, ignore=shutil.ignore_patterns("__pycache__"))


def mutant_prefix(module: str) -> str:
    return module.removesuffix(".py").replace("/", ".") + "."


def environment(app: str) -> dict[str, str]:
    # Only the app's own tests count: another app's tests passing through is no guard.
    others = sorted(
        f"tests/{path.name}"
        for path in (ROOT / "tests").iterdir()
        if path.is_dir() and path.name not in {app, "__pycache__"}
    )
    return os.environ | {
        # SQLite inside mutants/, whatever database the developer's shell points at.
        "DATABASE_URL": f"sqlite:///{MUTANTS / 'var' / 'portal.sqlite3'}",
        "PYTEST_ADDOPTS": shlex.join(f"--deselect={tests}" for tests in others),
    }


def mutmut(*args: str, env: dict[str, str] | None = None) -> str:
    command = [str(MUTMUT), *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True).stdout


def mutmut_run(module: str) -> None:
    """Run one module's mutants, showing mutmut's progress on a terminal; keep its output."""
    log = MUTANTS / f"mutmut-{module.replace('/', '-')}.log"
    command = [str(MUTMUT), "run", "--max-children", "1", f"{mutant_prefix(module)}*"]
    env = environment(app=module.split("/")[0])
    with (
        log.open("wb") as kept,
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        ) as process,
    ):
        shown = sys.stdout.isatty()
        for chunk in iter(lambda: process.stdout.read1(4096), b""):
            kept.write(chunk)
            # After its progress mutmut lists every mutant; the survivors are shown below.
            if shown and b"Mutant results" in chunk:
                chunk, shown = chunk.split(b"Mutant results")[0], False
                sys.stdout.buffer.write(chunk)
            elif shown:
                sys.stdout.buffer.write(chunk)
            sys.stdout.flush()
    if process.returncode:
        sys.exit(f"mutmut stopped with exit code {process.returncode}: see {log}")


def in_source_order(mutant: str) -> tuple[str, int]:
    function, _, number = mutant.rpartition("__mutmut_")
    return function, int(number)


def changed_lines(mutant: str) -> str:
    diff = mutmut("show", mutant).splitlines()
    return "\n".join(
        f"      {line}" for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))
    )


def main(requested: list[str]) -> None:
    modules = mutmut_config()["only_mutate"]
    unknown = [module for module in requested if module not in modules]
    if unknown:
        sys.exit(f"Not in [tool.mutmut] only_mutate in pyproject.toml: {', '.join(unknown)}")
    modules = requested or modules
    # A fresh start: results kept from an earlier run may describe other code or other tests.
    shutil.rmtree(MUTANTS, ignore_errors=True)
    MUTANTS.mkdir()
    copy_other_apps()
    started = time.monotonic()
    app = None
    for module in modules:
        if module.split("/")[0] != app:
            # Which tests run which function is learnt again from the next app's tests.
            (MUTANTS / "mutmut-stats.json").unlink(missing_ok=True)
            app = module.split("/")[0]
        print(f"\n== {module} (with the fast tests in tests/{app}/)", flush=True)
        mutmut_run(module)

    statuses = {}
    for line in mutmut("results", "--all", "true").splitlines():
        name, _, status = line.strip().rpartition(": ")
        statuses[name] = status
    scores = []
    for module in modules:
        mine = {n: s for n, s in statuses.items() if n.startswith(mutant_prefix(module))}
        tried = {n: s for n, s in mine.items() if s not in UNTRIED}
        survivors = sorted((n for n, s in tried.items() if s not in CAUGHT), key=in_source_order)
        scores.append((module, len(tried) - len(survivors), len(tried)))
        if survivors:
            print(f"\nSurvivors in {module} (a change no test noticed; `mutmut show NAME`):")
        for name in survivors:
            print(f"  {name} ({tried[name]})\n{changed_lines(name)}")

    minutes = (time.monotonic() - started) / 60
    print(f"\nMutation scores (mutants caught / tried), {minutes:.0f} minutes:")
    for module, caught, tried in scores:
        score = 100 * caught / tried if tried else 0.0
        print(f"  {module:<28} {caught:>4} / {tried:<4} {score:5.1f}%")


if __name__ == "__main__":
    main(sys.argv[1:])
