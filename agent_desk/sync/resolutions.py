"""Resolution phase: tell the hub which conflicts people here have decided (the values went as ops)."""

from __future__ import annotations

from agent_desk.sync.conflicts import unreported
from agent_desk.sync.run import SyncRun
from agent_desk.sync.transport import with_retry


def report_resolutions(run: SyncRun) -> None:
    with run.db.session() as session:
        todo = unreported(session)
        for resolution in ("desk", "hub"):
            ids = [
                c.hub_conflict_id for c in todo if c.resolution == resolution and c.hub_conflict_id
            ]
            if ids:
                with_retry(
                    lambda i=ids, r=resolution: run.client.resolve(i, r),  # type: ignore[misc]
                    cancelled=run.cancelled,
                    sleep=run.sleep,
                )
        for conflict in todo:
            conflict.reported = True
        session.commit()
