"""``/metrics`` in Prometheus text format: what a county operator alerts on.

One registry per app (no process globals, so every test hub counts alone). Under ``--workers N``
the workers count in prometheus-client's multiprocess mode: ``server`` points
``PROMETHEUS_MULTIPROC_DIR`` at an empty folder before the workers start, each worker writes its
values to files there, and whichever worker answers a scrape sums them all (``_AllWorkers``), so a
push counted on either worker shows up. Active desks are then each device's last-seen time, the
latest over all workers, counted at scrape time (not exposed per device).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
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
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from agent_desk.server.errors import not_found

ACTIVE_WINDOW = 3600.0
LOOPBACK = ("127.0.0.1", "::1")
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
GROUP_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128)
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
DESK_SEEN = "agentdesk_desk_last_seen_seconds"
ACTIVE_HELP = "Desks (devices) seen in the last hour"


def multiprocess_dir() -> Path | None:
    """The shared folder of the workers' counts, when the hub runs several workers."""
    path = os.environ.get(MULTIPROC_ENV)
    return Path(path) if path else None


def prepare_multiprocess(workers: int) -> Path | None:
    """Before the hub is opened: an empty folder for the workers' counts — the one the operator
    named, or with several workers a fresh temporary one, removed by ``finish_multiprocess``.
    Stale counts of an earlier run are cleared (they would add to this run's)."""
    given = os.environ.get(MULTIPROC_ENV)
    if not given and workers == 1:
        return None
    folder = Path(given) if given else Path(tempfile.mkdtemp(prefix="agent-desk-metrics-"))
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink(missing_ok=True)
    os.environ[MULTIPROC_ENV] = str(
        folder
    )  # before prometheus_client is imported here or in a worker
    return None if given else folder


def finish_multiprocess(created: Path | None) -> None:
    if created is not None:
        shutil.rmtree(created, ignore_errors=True)


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
        self.shared = multiprocess_dir()
        self.desk_seen = (
            Gauge(
                DESK_SEEN,
                "Last request per device",
                ["device"],
                multiprocess_mode="max",
                registry=None,
            )
            if self.shared
            else None
        )
        active = Gauge("agentdesk_active_desks", ACTIVE_HELP, registry=reg)
        active.set_function(self._active_desks)

    def observe(self, record: dict[str, Any]) -> None:
        """Called once per request by the access-log middleware."""
        route = record["route"]
        self.requests.labels(record["method"], route, str(record["status"])).inc()
        self.latency.labels(route).observe(record["duration_ms"] / 1000)
        if record.get("device"):
            if self.desk_seen is not None:
                self.desk_seen.labels(record["device"]).set(time.time())
            else:
                with self._guard:
                    self._seen[record["device"]] = time.monotonic()

    def exposition(self) -> bytes:
        """This process's counts, or every worker's summed when they share a folder."""
        if self.shared is None:
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        registry.register(_AllWorkers(self.shared))
        return generate_latest(registry)

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


class _AllWorkers(Collector):
    """Every worker's counts from the shared folder; the devices' last-seen times become one count."""

    def __init__(self, folder: Path) -> None:
        self.inner = MultiProcessCollector(None, path=str(folder))

    def collect(self) -> Iterator[Metric]:
        horizon, active = time.time() - ACTIVE_WINDOW, 0
        for family in self.inner.collect():
            if family.name == DESK_SEEN:
                active = sum(1 for sample in family.samples if sample.value >= horizon)
            else:
                yield family
        yield GaugeMetricFamily("agentdesk_active_desks", ACTIVE_HELP, value=active)


def metrics_router() -> APIRouter:
    router = APIRouter()

    @router.get("/metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        """Loopback only: Prometheus scrapes the hub port on the same host, not through the proxy."""
        if not request.client or request.client.host not in LOOPBACK:
            raise not_found("没有这个地址 (not found)")
        hub_metrics: HubMetrics = request.app.state.hub.metrics
        return Response(hub_metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    return router
