"""Push phase: send the outbox in batches, settle each op by the hub's answer.

A batch is committed as inflight before it is sent and settled after, so a crash in between only
resends ops the hub recognises by id. An op the hub refuses is quarantined with its reason and
never blocks the rest. A row's version is advanced here only when it did not change while its op
was in flight and the hub holds exactly that change; otherwise the next pull brings the version.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlmodel import Session, col

from agent_desk.protocol import OpResult
from agent_desk.protocol.roles import STAMPED
from agent_desk.store.models import OutboxEntry, User
from agent_desk.sync import outbox_queue as queue
from agent_desk.sync.apply import lenient_session, to_columns
from agent_desk.sync.conflicts import record_push_conflicts
from agent_desk.sync.errors import HubFailed, HubRejected, SyncError
from agent_desk.sync.merge import adopt_client_id
from agent_desk.sync.run import SyncRun
from agent_desk.sync.tables import entity_table
from agent_desk.sync.transport import with_retry

log = logging.getLogger(__name__)


def push_outbox(run: SyncRun) -> None:
    skip: list[int] = []  # ops that failed alone this run; retried next run
    while True:
        run.check_cancel()
        with run.db.session() as session:
            batch = queue.claim_batch(session, run.batch_size, skip)
            session.commit()
        if not batch:
            return
        run.tick(
            "push",
            run.report.pushed,
            None,
            f"正在上传 {len(batch)} 条修改…",
            f"Sending {len(batch)} changes…",
        )
        _send(run, batch, skip)


def _send(run: SyncRun, batch: list[OutboxEntry], skip: list[int]) -> None:
    try:
        response = with_retry(
            lambda: run.client.push([queue.as_wire(e) for e in batch]),
            cancelled=run.cancelled,
            sleep=run.sleep,
        )
    except (HubFailed, HubRejected) as exc:
        if len(batch) > 1:  # find the poison op: send the batch one op at a time
            release(run, batch, str(exc), count_attempt=False)
            for entry in batch:
                _send_alone(run, entry, skip)
            return
        release(run, batch, str(exc), count_attempt=True)
        skip.append(batch[0].seq or 0)
        return
    except SyncError as exc:
        release(run, batch, str(exc), count_attempt=False)
        raise
    settle(run, batch, response.results)


def _send_alone(run: SyncRun, entry: OutboxEntry, skip: list[int]) -> None:
    with run.db.session() as session:
        claimed = queue.claim_batch(session, 1, skip=[s for s in skip if s != entry.seq])
        session.commit()
    if claimed and claimed[0].seq == entry.seq:
        _send(run, claimed, skip)
    elif claimed:
        release(run, claimed, "", count_attempt=False)


def release(run: SyncRun, batch: list[OutboxEntry], error: str, *, count_attempt: bool) -> None:
    with run.db.session() as session:
        gone = queue.release(
            session, [e.seq or 0 for e in batch], error, count_attempt=count_attempt
        )
        session.commit()
    run.report.quarantined += len(gone)


def settle(run: SyncRun, batch: list[OutboxEntry], results: list[OpResult]) -> None:
    by_id = {r.op_id: r for r in results}
    done: list[OutboxEntry] = []
    with run.db.session() as session:
        for entry in session.scalars(
            select(OutboxEntry).where(OutboxEntry.seq.in_([e.seq for e in batch]))  # type: ignore[union-attr]
        ):
            result = by_id.get(entry.op_id)
            if result is None:
                entry.state = "pending"  # no answer for it: send again next time
            elif result.status == "refused":
                queue.quarantine(session, entry, result.reason or "乡镇服务器拒绝 (refused)")
                run.report.quarantined += 1
            else:
                if result.conflicts:
                    record_push_conflicts(session, entry, result.conflicts)
                    run.report.conflicts += len(result.conflicts)
                done.append(entry)
        synced = [
            e
            for e in done
            if by_id[e.op_id].version == e.base_version + 1 and not by_id[e.op_id].conflicts
        ]
        queue.drop(
            session, [e.seq or 0 for e in done]
        )  # the first write: what follows runs under the write lock
        _take_filled(session, [(e, by_id[e.op_id].filled) for e in done if by_id[e.op_id].filled])
        _mark_synced(session, synced, done)
        session.commit()
    run.report.pushed += len(done)
    merged = [
        (e.entity_id, str(by_id[e.op_id].merged_into)) for e in done if by_id[e.op_id].merged_into
    ]
    if merged:
        with lenient_session(run.db.engine) as session:
            for local_id, target_id in merged:
                adopt_client_id(session, local_id, target_id)
            session.commit()


def _take_filled(session: Session, filled: list[tuple[OutboxEntry, dict[str, Any]]]) -> None:
    """Fields the hub set itself go into the desk's row without an outbox entry (the hub already holds
    them): what it stamps (who and when of an event, the agent of a case) replaces the desk's value;
    anything else (the village of a record made without one) fills only a field still empty."""
    for entry, fields in filled:
        table = entity_table(entry.entity)
        stamped = STAMPED.get(entry.entity, frozenset()) | {"desk_at"}
        values = to_columns(entry.entity, fields)
        if "agent_id" in values and session.get(User, values["agent_id"]) is None:
            del values[
                "agent_id"
            ]  # the hub's account is not on this desk yet: the next pull brings both
        for name, value in values.items():
            stmt = update(table).where(table.c.id == entry.entity_id).values({name: value})
            if name not in stamped:
                stmt = stmt.where(table.c[name].is_(None))
            session.execute(stmt)


def _mark_synced(session: Session, synced: list[OutboxEntry], done: list[OutboxEntry]) -> None:
    """Advance each row's version to the hub's, in one statement per table, but only for a row with no
    other change waiting in the outbox (nor a second op in this batch) and still at the base version."""
    if not synced:
        return
    per_batch = Counter(e.entity_id for e in done)
    ids = sorted({e.entity_id for e in synced})
    waiting: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        waiting.update(
            session.scalars(
                select(col(OutboxEntry.entity_id)).where(col(OutboxEntry.entity_id).in_(chunk))
            )
        )
    by_entity: dict[str, list[dict[str, object]]] = {}
    for entry in synced:
        if per_batch[entry.entity_id] == 1 and entry.entity_id not in waiting:
            by_entity.setdefault(entry.entity, []).append(
                {
                    "k_id": entry.entity_id,
                    "k_base": entry.base_version,
                    "version": entry.base_version + 1,
                }
            )
    for entity, rows in by_entity.items():
        table = entity_table(entity)
        stmt = update(table).where(
            table.c.id == bindparam("k_id"), table.c.version == bindparam("k_base")
        )
        session.execute(stmt, rows)
