"""A short bounded fuzz of every hub endpoint with each role, on SQLite and PostgreSQL (the long
round is in `make soak`): no 5xx, no answer outside the documented shapes."""

from __future__ import annotations

from tests.reliability.hub_fuzz import FUZZED_ROUTES, fuzz_hub
from tests.sync.conftest import V1, V3, HubFixture
from tests.sync.test_hub_rules import login


def test_no_endpoint_breaks_for_any_role(live_hub: HubFixture) -> None:
    live_hub.add_user("agent_v1")
    live_hub.add_user("agent_v3", villages=(V3,))
    live_hub.add_user("reviewer", role="reviewer", township=V1[:9])
    live_hub.add_user("admin", role="admin")
    tokens: dict[str, str | None] = {"anonymous": None}
    for name in ("agent_v1", "agent_v3", "reviewer", "admin"):
        tokens[name] = str(login(live_hub, name).headers["Authorization"]).removeprefix("Bearer ")
    figures = fuzz_hub(live_hub.url, tokens, examples=40, seconds=60)
    assert figures.cases >= 50
    assert figures.server_errors == [] and figures.schema_violations == []


def test_the_fuzz_reaches_every_route_the_hub_serves(live_hub: HubFixture) -> None:
    """A new endpoint must join the fuzz: the routes it reaches are the routes in the OpenAPI schema."""
    import httpx

    from agent_desk.protocol import API_PREFIX

    paths = httpx.get(live_hub.url + "/openapi.json").json()["paths"]
    served = {
        (method.upper(), path.removeprefix(API_PREFIX))
        for path, ops in paths.items()
        for method in ops
    }
    assert served == FUZZED_ROUTES
