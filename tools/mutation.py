"""Mutation testing of the modules that must never silently break: `make mutation`.

mutmut (configured under [tool.mutmut] in pyproject.toml) changes one thing at a time in each
module listed in `only_mutate` and runs the fast tests of the module's app (tests/<app>/) that
execute the changed function, on SQLite. A change that no test notices survives: a bug the
tests would let through. This prints each module's survivors and score.

The modules listed in `also_on_postgresql` hold code that only PostgreSQL reaches: with
TEST_DATABASE_URL set, their SQLite survivors are run again on that database, and a mutant
counts as caught when the tests on either database catch it.

    python tools/mutation.py                      # every module in only_mutate
    python tools/mutation.py outbox/delivery.py   # some of them
    TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal python tools/mutation.py
    python tools/mutation.py --survivors MODULE   # after new tests: only the last survivors
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


def environment(app: str, database_url: str | None = None) -> dict[str, str]:
    # Only the app's own tests count: another app's tests passing through is no guard.
    others = sorted(
        f"tests/{path.name}"
        for path in (ROOT / "tests").iterdir()
        if path.is_dir() and path.name not in {app, "__pycache__"}
    )
    return os.environ | {
        # SQLite inside mutants/, whatever database the developer's shell points at.
        "DATABASE_URL": database_url or f"sqlite:///{MUTANTS / 'var' / 'portal.sqlite3'}",
        "PYTEST_ADDOPTS": shlex.join(f"--deselect={tests}" for tests in others),
    }


def mutmut(*args: str, env: dict[str, str] | None = None) -> str:
    command = [str(MUTMUT), *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True).stdout


def mutmut_run(module: str, names: list[str], database_url: str | None = None) -> None:
    """Run mutants of one module, showing mutmut's progress on a terminal; keep its output."""
    database = "-postgresql" if database_url else ""
    log = MUTANTS / f"mutmut-{module.replace('/', '-')}{database}.log"
    command = [str(MUTMUT), "run", "--max-children", "1", *names]
    env = environment(app=module.split("/")[0], database_url=database_url)
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


def statuses() -> dict[str, str]:
    found = {}
    for line in mutmut("results", "--all", "true").splitlines():
        name, _, status = line.strip().rpartition(": ")
        found[name] = status
    return found


def survivors_of(module: str) -> list[str]:
    return sorted(
        name
        for name, status in statuses().items()
        if name.startswith(mutant_prefix(module)) and status not in CAUGHT | UNTRIED
    )


def on_postgresql(module: str, database_url: str) -> set[str]:
    """Run the module's SQLite survivors again on PostgreSQL; the ones its tests now catch.

    mutmut keeps one verdict per mutant (in mutants/<module>.meta) and runs again only the
    mutants it is given by name, so the verdicts of the first pass stand for all the others.
    """
    survivors = survivors_of(module)
    if not survivors:
        return set()
    print(f"\n== {module}: its {len(survivors)} survivors again on PostgreSQL", flush=True)
    # Which tests run which function is learnt on PostgreSQL, where other code runs, and
    # again on SQLite by whatever runs next.
    (MUTANTS / "mutmut-stats.json").unlink(missing_ok=True)
    mutmut_run(module, survivors, database_url=database_url)
    (MUTANTS / "mutmut-stats.json").unlink(missing_ok=True)
    return set(survivors) - set(survivors_of(module))


def in_source_order(mutant: str) -> tuple[str, int]:
    function, _, number = mutant.rpartition("__mutmut_")
    return function, int(number)


def changed_lines(mutant: str) -> str:
    diff = mutmut("show", mutant).splitlines()
    return "\n".join(
        f"      {line}" for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))
    )


def main(requested: list[str], *, survivors_only: bool = False) -> None:
    config = mutmut_config()
    modules = config["only_mutate"]
    both_databases = set(config.get("also_on_postgresql", []))
    database_url = os.environ.get("TEST_DATABASE_URL", "")
    if database_url and not database_url.startswith("postgres"):
        sys.exit(f"TEST_DATABASE_URL is not a PostgreSQL database: {database_url}")
    unknown = [module for module in requested if module not in modules]
    if unknown:
        sys.exit(f"Not in [tool.mutmut] only_mutate in pyproject.toml: {', '.join(unknown)}")
    modules = requested or modules
    if survivors_only and not MUTANTS.is_dir():
        sys.exit("--survivors runs again the survivors of an earlier run: there is none here")
    if not survivors_only:
        # A fresh start: results kept from an earlier run may describe other code or tests.
        shutil.rmtree(MUTANTS, ignore_errors=True)
        MUTANTS.mkdir()
        copy_other_apps()
    started = time.monotonic()
    only_postgresql: dict[str, set[str]] = {}
    app = None
    for module in modules:
        if module.split("/")[0] != app:
            # Which tests run which function is learnt again from the next app's tests.
            (MUTANTS / "mutmut-stats.json").unlink(missing_ok=True)
            app = module.split("/")[0]
        names = survivors_of(module) if survivors_only else [f"{mutant_prefix(module)}*"]
        if names:
            print(f"\n== {module} (with the fast tests in tests/{app}/)", flush=True)
            mutmut_run(module, names)
        if module in both_databases and database_url:
            only_postgresql[module] = on_postgresql(module, database_url)

    def databases(module: str) -> str:
        if module in only_postgresql:
            return (
                f"SQLite and PostgreSQL ({len(only_postgresql[module])} caught on PostgreSQL only)"
            )
        if module in both_databases:
            return "SQLite only: set TEST_DATABASE_URL for its PostgreSQL pass"
        return "SQLite"

    found = statuses()
    scores = []
    for module in modules:
        mine = {n: s for n, s in found.items() if n.startswith(mutant_prefix(module))}
        tried = {n: s for n, s in mine.items() if s not in UNTRIED}
        survivors = sorted((n for n, s in tried.items() if s not in CAUGHT), key=in_source_order)
        timed_out = sorted((n for n, s in tried.items() if s == "timeout"), key=in_source_order)
        caught = len(tried) - len(survivors)
        scores.append((module, caught, len(tried), len(timed_out), databases(module)))
        if survivors:
            print(f"\nSurvivors in {module} (a change no test noticed; `mutmut show NAME`):")
        for name in survivors:
            print(f"  {name} ({tried[name]})\n{changed_lines(name)}")
        if timed_out:
            # A change that makes the tests hang is caught; but a survivor whose tests outrun
            # mutmut's wall-clock limit on a busy machine lands here too.
            print(f"\nTimed out in {module} (counted as caught; check the ones that cannot hang):")
        for name in timed_out:
            print(f"  {name}\n{changed_lines(name)}")

    minutes = (time.monotonic() - started) / 60
    print(f"\nMutation scores (mutants caught / tried), {minutes:.0f} minutes:")
    for module, caught, tried, timed_out, where in scores:
        score = 100 * caught / tried if tried else 0.0
        print(
            f"  {module:<28} {caught:>4} / {tried:<4} {score:5.1f}%  "
            f"({timed_out} timed out)  {where}"
        )


if __name__ == "__main__":
    arguments = sys.argv[1:]
    main(
        [argument for argument in arguments if argument != "--survivors"],
        survivors_only="--survivors" in arguments,
    )
