"""Route probes over HTTP (urllib, redirects not followed: a redirect is an answer too)."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from migrator.verify.domain.routes import SERVED_BY_HEADER, ProbeResult, RouteProbe

TIMEOUT = 30.0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _request(url: str, method: str) -> tuple[int, str]:
    request = urllib.request.Request(url, method=method, data=b"" if method in ("POST", "PUT", "PATCH") else None)
    try:
        with _OPENER.open(request, timeout=TIMEOUT) as response:
            return response.status, response.headers.get(SERVED_BY_HEADER, "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get(SERVED_BY_HEADER, "") if error.headers else ""
    except (urllib.error.URLError, OSError) as error:
        return 0, f"no answer ({error})"


def probe_routes(probes: Sequence[RouteProbe], *, gateway_url: str, monolith_url: str | None) -> list[ProbeResult]:
    """Each probe sent through the gateway; a GET without parameters also to the monolith."""

    def one(probe: RouteProbe) -> ProbeResult:
        status, served_by = _request(gateway_url + probe.path, probe.method)
        reference = _request(monolith_url + probe.path, "GET")[0] if probe.compare and monolith_url else None
        return ProbeResult(probe, status, served_by, reference)

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(one, probes))
