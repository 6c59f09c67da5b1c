"""What the endpoint refuses before a query reaches a worker: calls out, foreign pages, odd hosts.

pyoxigraph answers ``SERVICE <url>`` and ``LOAD <url>`` by making HTTP requests itself, so an
endpoint that passed them on would fetch any address a client names (server-side request
forgery) and relay the reply. They are refused unless the endpoint is started with an
allow-list of IRIs (``--allow-service``), as :mod:`jeugdgov.sparql.calls` finds them; the workers
of an endpoint without one run where no connection can be opened at all
(:mod:`jeugdgov.isolation`). Updates come only from the endpoint's own origin:
a browser always names the page's origin on a cross-origin POST, so a form on another site
cannot empty a writable store. A loopback endpoint answers only to loopback host names, so a
DNS name rebound to 127.0.0.1 does not turn a foreign page into a same-origin one.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from urllib.parse import urlsplit

from jeugdgov.sparql.calls import refused_call

__all__ = ["cross_site_update", "foreign_host", "host_name", "refused_call", "token_mismatch"]

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


def host_name(host_header: str | None) -> str:
    """The host name of a Host header or an origin's authority, without port or brackets."""
    authority = (host_header or "").strip().lower()
    if authority.startswith("["):
        return authority[1:].partition("]")[0]
    return authority.rpartition(":")[0] if authority.count(":") == 1 else authority


def foreign_host(headers: Mapping[str, str], bound_host: str) -> str | None:
    """Why the Host header does not name this loopback endpoint, or None when it does or the
    endpoint listens beyond loopback (then any name that reaches it is its own)."""
    if bound_host not in LOOPBACK_NAMES:
        return None
    given = headers.get("Host")
    if given is None:
        return None  # HTTP/1.0 clients may leave it out
    if host_name(given) in LOOPBACK_NAMES:
        return None
    return f"host '{given}' is not this endpoint; use http://127.0.0.1 or http://localhost"


def cross_site_update(headers: Mapping[str, str], token_required: bool = False) -> str | None:
    """Why an update request may come from another site's page, or None.

    Browsers name the page's origin on every cross-origin POST, and pages cannot forge it; a
    Referer is no such proof (a page can suppress it, and proxies rewrite it). So an update
    needs an Origin naming this endpoint, unless the endpoint requires the update token (which
    no foreign page knows)."""
    origin = headers.get("Origin")
    if origin is None:
        if token_required:
            return None
        return ("updates need an Origin header naming this endpoint (browsers send it on their own; a script "
                "adds 'Origin: http://HOST:PORT'), or an endpoint started with --update-token")
    if origin == "null" or urlsplit(origin).netloc.lower() != (headers.get("Host") or "").strip().lower():
        return f"updates are only accepted from this endpoint's own pages, not from {origin}"
    site = (headers.get("Sec-Fetch-Site") or "").lower()
    if site and site not in ("same-origin", "none"):
        return f"updates are only accepted from this endpoint's own pages (Sec-Fetch-Site: {site})"
    return None


def token_mismatch(headers: Mapping[str, str], token: str | None) -> str | None:
    """Why the request lacks the update token (``Authorization: Bearer TOKEN``), or None."""
    if not token:
        return None
    given = headers.get("Authorization") or ""
    scheme, _, value = given.partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), token.encode()):
        return None
    return "updates need the update token: send the header 'Authorization: Bearer TOKEN'"
