"""The compose deployment puts Caddy in front of the portal and tells the portal so."""

from __future__ import annotations

import yaml

from portal.settings import BASE_DIR


def test_only_the_proxy_is_published_and_web_trusts_exactly_that_one_hop():
    services = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())["services"]
    proxy, web = services["proxy"], services["web"]

    assert proxy["image"].startswith("caddy:")
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert {"80:80", "443:443"} <= set(proxy["ports"])
    assert proxy["environment"]["UPSTREAM"] == "web:8000"
    assert "healthcheck" in proxy
    assert "ports" not in web
    assert web["expose"] == ["8000"]
    assert str(web["environment"]["TRUSTED_PROXY_COUNT"]) == "1"


def test_caddy_trusts_no_forwarded_header_from_clients():
    caddyfile = (BASE_DIR / "deploy" / "Caddyfile").read_text()
    directives = [line.strip() for line in caddyfile.splitlines() if not line.startswith("#")]

    assert "reverse_proxy {$UPSTREAM:web:8000}" in directives
    assert not any("trusted_proxies" in line for line in directives)


def test_the_image_logs_requests_under_the_client_address():
    assert "guard.access_log.AccessLogger" in (BASE_DIR / "Dockerfile").read_text()
