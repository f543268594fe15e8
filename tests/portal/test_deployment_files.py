from __future__ import annotations

import yaml

from portal.settings import BASE_DIR


def test_compose_runs_database_web_worker_and_mail_with_health_checks():
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    services = compose["services"]

    assert {"db", "web", "worker", "mail"} <= services.keys()
    for name in ("db", "web", "worker", "mail"):
        assert "healthcheck" in services[name], f"{name} has no health check"
    assert "gunicorn" in (BASE_DIR / "Dockerfile").read_text()
    assert services["worker"]["command"][:3] == ["python", "manage.py", "run_worker"]
    assert services["web"]["environment"]["DJANGO_ENV"] == "production"
    assert "/healthz" in str(services["web"]["healthcheck"]["test"])


def test_ci_runs_the_readme_test_command_on_both_databases():
    ci = (BASE_DIR / ".ci" / "run").read_text()
    readme = (BASE_DIR / "README.md").read_text()

    assert "make test" in ci
    assert "TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal" in ci
    assert "make run" in readme
    assert "make test" in readme
