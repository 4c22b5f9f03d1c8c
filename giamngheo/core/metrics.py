"""Request and job figures for an operator's Prometheus (`/chi-so/`): how many pages each view served,
how long they took and how much CPU they used, and the health checks' values (jobs waiting, the oldest
job's age, workers alive, free disk), so a slow page or a stuck queue shows on a graph before users call.

With `serve --workers N` each web process writes its counters to files in one folder
(prometheus_client's multiprocess mode, PROMETHEUS_MULTIPROC_DIR set by serve), and a scrape answered by
any of them adds up all of them: the figures are the server's, not one process's. The counters carry
view names, never paths or query strings, so no personal data and no unbounded label set.
"""

from __future__ import annotations

import hmac
import os
import time

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUESTS = Counter(
    "giamngheo_requests", "Requests answered, by view, method and status class", ("view", "method", "status")
)
REQUEST_SECONDS = Histogram("giamngheo_request_seconds", "Wall time of a request, by view", ("view",), buckets=SECONDS)
REQUEST_CPU = Counter("giamngheo_request_cpu_seconds", "CPU time the server spent on requests, by view", ("view",))


def observe_request(view: str, method: str, status: int, seconds: float, cpu_seconds: float) -> None:
    """Count one answered request (methods other than GET, HEAD and POST as 'other': no label from a client)."""
    method = method if method in ("GET", "HEAD", "POST") else "other"
    REQUESTS.labels(view, method, f"{status // 100}xx").inc()
    REQUEST_SECONDS.labels(view).observe(seconds)
    REQUEST_CPU.labels(view).inc(cpu_seconds)


def request_registry() -> CollectorRegistry:
    """This server's request counters: every process's added up under serve --workers, else this one's."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return registry
    return REGISTRY


class HealthCollector:
    """The health checks (core.health) as gauges, read from the database when scraped, so every
    process answers the same whichever the balancer picked."""

    def collect(self):
        from .health import health

        ok = GaugeMetricFamily("giamngheo_health_ok", "1 when the check passes", labels=("check",))
        value = GaugeMetricFamily(
            "giamngheo_health_value",
            "The check's figure: database ms, free disk MB, workers alive, oldest waiting job's age in s",
            labels=("check",),
        )
        for check in health():
            ok.add_metric([check.name], 1.0 if check.ok else 0.0)
            if check.value is not None:
                value.add_metric([check.name], float(check.value))
        yield ok
        yield value


def exposition() -> bytes:
    """The text a Prometheus scrape reads: requests, then health."""
    health_registry = CollectorRegistry()
    health_registry.register(HealthCollector())
    return generate_latest(request_registry()) + generate_latest(health_registry)


def token_configured() -> str:
    from django.conf import settings

    return settings.METRICS_TOKEN


def token_accepted(authorization: str) -> bool:
    """`Authorization: Bearer <token>` (settings.METRICS_TOKEN, from GIAMNGHEO_METRICS_TOKEN), compared in constant time."""
    expected = token_configured()
    scheme, _, given = authorization.partition(" ")
    # as bytes: compare_digest refuses non-ASCII text, and a header "Bearer tökén" answered 500
    return (
        bool(expected)
        and scheme.lower() == "bearer"
        and hmac.compare_digest(given.strip().encode("utf-8", "surrogateescape"), expected.encode("utf-8"))
    )


class RequestTimer:
    """Wall and CPU time of one request in this thread (the server's threads share a process)."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.thread_time()

    def elapsed(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.thread_time() - self.cpu
