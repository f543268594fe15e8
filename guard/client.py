"""Who is asking: the client's address, as far as the portal can trust it.

Every consumer of a client address (rate limits, the admin sign-in lock, the access log)
asks here, so that all of them agree and none of them reads X-Forwarded-For on its own.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip

# An IPv6 client usually holds a whole /64, so it is limited as one (as django-ratelimit's
# own "ip" key does).
IPV6_RATE_LIMIT_PREFIX = 64


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent ``request``.

    ``TRUSTED_PROXY_COUNT = 0``: the portal faces the internet itself, so the client is
    the connection's own address and X-Forwarded-For is ignored (anyone can write it).

    ``TRUSTED_PROXY_COUNT = N``: N proxies stand in front, each adding the address it saw
    to the right of X-Forwarded-For. The client is the address the outermost trusted
    proxy saw, the Nth entry from the right; entries a client writes itself sit further
    left and are never read. A request whose header holds fewer than N addresses did
    not come through the proxies and counts under the connection's own address.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        # django-ipware counts the hops in the header after the client's; the last proxy
        # is the connection itself and is not in the header. Non-strict: a longer header
        # (entries a client prepended) is read from the right, not thrown away.
        address, _routable = get_client_ip(
            request,
            proxy_count=proxies - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
        if address:
            return address
    address, _routable = get_client_ip(request, request_header_order=["REMOTE_ADDR"])
    return address or ""


def ratelimit_key(group: str, request: HttpRequest) -> str:
    """A django-ratelimit ``key=``: the client's address, IPv6 by its /64."""
    address = client_ip(request)
    if ":" in address:
        network = ipaddress.ip_network(f"{address}/{IPV6_RATE_LIMIT_PREFIX}", strict=False)
        return str(network.network_address)
    return address
