"""``/metrics`` in Prometheus text format: what a county operator alerts on.

One registry per app (no process globals, so every test hub counts alone). Under ``--workers N``
each worker answers with its own counts; scrape through the proxy and sum, or run one worker.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from agent_desk.server.errors import not_found

ACTIVE_WINDOW = 3600.0
LOOPBACK = ("127.0.0.1", "::1")
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
GROUP_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128)


class HubMetrics:
    """The hub's counters; the request middleware and three small hooks in the handlers feed them."""

    def __init__(self) -> None:
        self.registry = reg = CollectorRegistry()
        self.requests = Counter(
            "agentdesk_http_requests",
            "HTTP requests by route and status",
            ["method", "route", "status"],
            registry=reg,
        )
        self.latency = Histogram(
            "agentdesk_http_request_duration_seconds",
            "Request latency by route",
            ["route"],
            buckets=LATENCY_BUCKETS,
            registry=reg,
        )
        self.pushes = Counter("agentdesk_pushes", "Pushes received", registry=reg)
        self.ops = Counter("agentdesk_push_ops", "Pushed ops by result", ["result"], registry=reg)
        self.pull_pages = Counter("agentdesk_pull_pages", "Pull pages served", registry=reg)
        self.group_commit = Histogram(
            "agentdesk_group_commit_pushes",
            "Pushes committed together",
            buckets=GROUP_BUCKETS,
            registry=reg,
        )
        self.login_failures = Counter("agentdesk_login_failures", "Failed logins", registry=reg)
        self._seen: dict[str, float] = {}
        self._guard = threading.Lock()
        active = Gauge(
            "agentdesk_active_desks",
            "Desks (devices) seen by this process in the last hour",
            registry=reg,
        )
        active.set_function(self._active_desks)

    def observe(self, record: dict[str, Any]) -> None:
        """Called once per request by the access-log middleware."""
        route = record["route"]
        self.requests.labels(record["method"], route, str(record["status"])).inc()
        self.latency.labels(route).observe(record["duration_ms"] / 1000)
        if record.get("device"):
            with self._guard:
                self._seen[record["device"]] = time.monotonic()

    def pushed(self, results: list[Any]) -> None:
        self.pushes.inc()
        for result in results:
            self.ops.labels(result.status).inc()

    def _active_desks(self) -> float:
        horizon = time.monotonic() - ACTIVE_WINDOW
        with self._guard:
            for device in [d for d, at in self._seen.items() if at < horizon]:
                del self._seen[device]
            return float(len(self._seen))


def metrics_router() -> APIRouter:
    router = APIRouter()

    @router.get("/metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        """Loopback only: Prometheus scrapes the hub port on the same host, not through the proxy."""
        if not request.client or request.client.host not in LOOPBACK:
            raise not_found("没有这个地址 (not found)")
        hub_metrics: HubMetrics = request.app.state.hub.metrics
        return Response(generate_latest(hub_metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return router
