"""`/healthz`: can this app server answer? The database and the cache are asked.

For nginx's or a load balancer's probe and for monitoring: no login, no session, no cookie;
`200 {"status": "ok", "database": "ok", "cache": "ok"}`, or `503` with `"error"` for what did not
answer. A 503 here is a finding, not a fault of the app: the reason is logged as a warning, and
Django's request logger, which logs every 5xx as an error, leaves it out (`NotHealthCheck`).
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

PATH = "/healthz"
logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    cache.get("healthz")


CHECKS = {"database": _database, "cache": _cache}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # whatever the driver raises, the answer is "not healthy"
            logger.warning("Health check: the %s did not answer: %s", name, exc)
            results[name] = "error"
        else:
            results[name] = "ok"
    healthy = all(result == "ok" for result in results.values())
    return JsonResponse({"status": "ok" if healthy else "error", **results}, status=200 if healthy else 503)


class NotHealthCheck(logging.Filter):
    """Keeps the health check's 503 out of the django.request log of server errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        return getattr(request, "path", None) != PATH
