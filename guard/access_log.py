"""gunicorn's access log, naming the client rather than the proxy in front.

Run gunicorn with ``--logger-class guard.access_log.AccessLogger`` (the Dockerfile does):
the first field of each line (``%(h)s``) is then ``guard.client.client_ip``.
"""

from __future__ import annotations

from django.http import HttpRequest
from gunicorn.glogging import Logger

from guard.client import client_ip


class AccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time) -> dict[str, object]:
        atoms = super().atoms(resp, req, environ, request_time)
        # The WSGI environ is what Django keeps as request.META; gunicorn also logs requests
        # it refused before Django saw them, so no full request is built from it here.
        request = HttpRequest()
        request.META = environ
        atoms["h"] = client_ip(request) or "-"
        return atoms
