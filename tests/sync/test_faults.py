"""The connection cut in the middle of a push and of a pull: after retry both sides converge,
nothing lost and nothing duplicated."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from agent_desk.server import tables as t
from agent_desk.sync.errors import HubUnreachable
from tests.sync.conftest import V1, HubFixture, add_client, client_fields, edit_client, make_desk

NAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许"


class CuttingTransport(httpx.BaseTransport):
    """Lets the hub do the work, then drops the answer (the worst moment) or truncates its body."""

    def __init__(self, path: str, cuts: int, *, truncate: bool = False, skip: int = 0) -> None:
        self.inner = httpx.HTTPTransport()
        self.path, self.cuts, self.truncate, self.skip = path, cuts, truncate, skip

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if self.path not in request.url.path or self.cuts <= 0:
            return response
        if self.skip > 0:
            self.skip -= 1
            return response
        self.cuts -= 1
        body = response.read()
        if self.truncate:
            return httpx.Response(
                response.status_code,
                headers={"content-type": "application/json"},
                content=body[: len(body) // 2],
            )
        raise httpx.ReadError("connection cut by the test")


def client_changes(hub: HubFixture) -> int:
    with hub.hub.db.reading() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(t.change).where(t.change.c.entity == "client")
            ).scalar_one()
        )


@pytest.mark.parametrize("truncate", [False, True], ids=["dropped", "truncated"])
def test_push_cut_midway_converges_without_duplicates(
    live_hub: HubFixture, tmp_path: Path, truncate: bool
) -> None:
    live_hub.add_user("wang")
    live_hub.add_user("li")
    cutter = CuttingTransport("/sync/push", cuts=2, truncate=truncate, skip=1)
    desk_a, sync_a = make_desk(tmp_path, "a", live_hub, "wang", transport=cutter, batch_size=4)
    desk_b, sync_b = make_desk(tmp_path, "b", live_hub, "li")
    sync_a.sync_once()
    ids = [add_client(desk_a, "王" + NAMES[i], live_hub.villages[V1]) for i in range(12)]
    edit_client(desk_a, ids[0], phone="13900000009")
    sync_a.sync_once()  # batches 2 and 3 are cut after the hub applied them; retries resend them
    assert cutter.cuts == 0
    sync_b.sync_once()
    assert client_fields(desk_a) == client_fields(desk_b)
    assert (
        len(client_fields(desk_b)) == 12 and client_fields(desk_b)[ids[0]]["phone"] == "13900000009"
    )
    assert client_changes(live_hub) == 13  # 12 creates + 1 edit: no op applied twice
    assert sync_a.status().pending == sync_a.status().inflight == 0


def test_pull_cut_midway_resumes_from_committed_cursor(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    live_hub.add_user("wang")
    live_hub.add_user("li")
    desk_a, sync_a = make_desk(tmp_path, "a", live_hub, "wang")
    sync_a.sync_once()
    for i in range(15):
        add_client(desk_a, "李" + NAMES[i], live_hub.villages[V1])
    sync_a.sync_once()
    cutter = CuttingTransport("/sync/pull", cuts=6, skip=2)
    desk_b, sync_b = make_desk(tmp_path, "b", live_hub, "li", transport=cutter)
    sync_b.page_size = 4
    with pytest.raises(HubUnreachable):
        sync_b.sync_once()  # 4 attempts all cut: gives up with a clear message, keeps what it had
    partial = client_fields(desk_b)
    assert 0 < len(partial) < 15
    sync_b.sync_once()  # two more cuts are absorbed by retry
    assert client_fields(desk_b) == client_fields(desk_a)
    assert "无法连接到乡镇服务器" in (sync_b.recent_runs()[1].error or "")
