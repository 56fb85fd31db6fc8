"""Writing the hub's records into the desk tables: bulk inserts for new rows, field updates for known ones.

Local fields still waiting in the outbox win over remote values until they are pushed; a remote
delete becomes a tombstone; a record that left the user's villages is dropped (see left_scope.py).
Foreign keys are checked lazily during a pull, because the hub's order is by change, not by parent
(a client edited after its case arrives after the case).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Date, DateTime, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session

from agent_desk.core.errors import bilingual, localized
from agent_desk.protocol import SYNCED_ENTITIES, Change
from agent_desk.protocol.values import FIELDS, LABELS, field_problem, page_clean
from agent_desk.store import audit
from agent_desk.store.models import ClientSearchKey, utcnow
from agent_desk.store.search_keys import client_keys, sort_key
from agent_desk.store.sync_state import SyncConflict, SyncSetAside
from agent_desk.sync.left_scope import settle
from agent_desk.sync.merge import adopt_client_id, adopt_village
from agent_desk.sync.new_rows import insert_new
from agent_desk.sync.outbox_queue import pending_fields
from agent_desk.sync.tables import entity_fields, entity_model, entity_table


@contextmanager
def lenient_session(engine: Engine) -> Iterator[Session]:
    """A session whose connection skips foreign-key checks (restored before it goes back to the pool)."""
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.commit()
        try:
            with Session(bind=conn, expire_on_commit=False) as session:
                yield session
        finally:
            conn.rollback()
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()


@cache
def _converters(entity: str) -> dict[str, Callable[[Any], Any]]:
    out: dict[str, Callable[[Any], Any]] = {}
    for name, sql_type in entity_fields(entity).items():
        if isinstance(sql_type, DateTime):
            out[name] = datetime.fromisoformat
        elif isinstance(sql_type, Date):
            out[name] = date.fromisoformat
    return out


def to_columns(entity: str, fields: dict[str, Any]) -> dict[str, Any]:
    """JSON values from the wire to Python values for the desk's columns; unknown names are dropped."""
    known, conv = entity_fields(entity), _converters(entity)
    return {
        k: (conv[k](v) if k in conv and isinstance(v, str) else v)
        for k, v in fields.items()
        if k in known
    }


@cache
def _defaults(entity: str) -> dict[str, Any]:
    model, known = entity_model(entity), entity_fields(entity)
    return {
        n: f.get_default(call_default_factory=True)
        for n, f in model.model_fields.items()
        if n in known and not f.is_required()
    }


def change_problem(change: Change) -> str | None:
    """Why this desk cannot store ``change`` (the hub's own rules), or None. Unknown fields are
    dropped on apply (a newer hub), so only values of known fields are judged."""
    rules = FIELDS.get(change.entity)
    if rules is None or change.deleted:
        return None
    for name, value in change.fields.items():
        if name in rules and (problem := field_problem(change.entity, name, value)) is not None:
            return bilingual(
                f"「{LABELS.get(name, name)}」{localized(problem, 'zh_CN')}",
                f"{change.entity}.{name}: {localized(problem, 'en')}",
            )
    return None


APPLY_ERRORS = (SQLAlchemyError, ValueError, TypeError, OverflowError)


class PageApplier:
    """Applies one pull page inside the caller's transaction; returns how many records changed.

    A change this desk cannot store is set aside with its reason (``SyncSetAside``) and the rest of
    the page applies: one bad record never stops a desk's sync.
    """

    def __init__(
        self,
        session: Session,
        *,
        actor: str = "",
        defer_keys: bool = False,
        key_cache: dict[str, set[str]] | None = None,
    ) -> None:
        self.session, self.actor = session, actor
        self.applied = 0
        self.removed = (
            0  # records dropped because they left the user's villages (counted in ``applied`` too)
        )
        self.set_aside = 0
        self.key_cache: dict[str, set[str]] = {} if key_cache is None else key_cache
        # During an initial pull new clients' search keys are built once, after the last page
        # (initial_pull.py): clients without keys are found by a query, so a crash loses none.
        self.defer_keys = defer_keys

    def apply(self, changes: list[Change]) -> int:
        good = self._screen(changes)
        try:
            with self.session.begin_nested():
                return self._apply_all(good)
        except APPLY_ERRORS:
            self.applied = 0  # the page's savepoint rolled back: apply change by change
        for change in good:
            try:
                with self.session.begin_nested():
                    self._apply_all([change])
            except APPLY_ERRORS as exc:
                self._set_aside(
                    change, bilingual("本机无法保存", f"cannot store here: {type(exc).__name__}")
                )
        return self.applied

    def _screen(self, changes: list[Change]) -> list[Change]:
        """The changes this desk can store, judged a column at a time for each entity; an entity
        whose page has any doubtful value is judged again change by change, to name the refused ones."""
        by_entity: dict[str, list[Change]] = {}
        for change in changes:
            if not change.deleted:
                by_entity.setdefault(change.entity, []).append(change)
        doubtful = {
            entity
            for entity, group in by_entity.items()
            if not page_clean(entity, [c.fields for c in group])
        }
        if not doubtful:
            return changes
        return [c for c in changes if c.entity not in doubtful or not self._screened_out(c)]

    def _screened_out(self, change: Change) -> bool:
        problem = change_problem(change)
        if problem is not None:
            self._set_aside(change, problem)
        return problem is not None

    def _set_aside(self, change: Change, reason: str) -> None:
        self.session.add(
            SyncSetAside(
                seq=change.seq,
                entity=change.entity,
                entity_id=change.id[:32],
                version=change.version,
                reason=reason[:500],
                fields=_storable(change.fields),
            )
        )
        # In the audit trail, which goes to the hub at this sync: the admin sees what a desk refused.
        audit.append(
            self.session,
            "sync_set_aside",
            entity=change.entity,
            entity_id=change.id[:32],
            detail={"seq": change.seq, "version": change.version, "reason": reason[:500]},
        )
        self.set_aside += 1

    def _apply_all(self, changes: list[Change]) -> int:
        by_entity: dict[str, list[Change]] = {}
        for change in changes:
            if change.entity in SYNCED_ENTITIES and not change.left_scope:
                by_entity.setdefault(change.entity, []).append(change)
        for entity in SYNCED_ENTITIES:
            if entity in by_entity:
                self._apply_entity(entity, by_entity[entity])
        self._drop_left(changes)
        return self.applied

    def _drop_left(self, changes: list[Change]) -> None:
        """After the page's changes: drop what left scope, unless it came back later in the same page."""
        if not any(c.left_scope for c in changes):  # the usual page: only what waited is looked at
            self.removed = settle(
                self.session, [], {(c.entity, c.id) for c in changes}, actor=self.actor
            )
            self.applied += self.removed
            return
        latest: dict[tuple[str, str], int] = {}
        for c in changes:
            if not c.left_scope:
                latest[(c.entity, c.id)] = max(c.seq, latest.get((c.entity, c.id), 0))
        leaving = [
            (c.entity, c.id)
            for c in changes
            if c.left_scope and latest.get((c.entity, c.id), 0) < c.seq
        ]
        self.removed = settle(self.session, leaving, latest.keys(), actor=self.actor)
        self.applied += self.removed

    def _apply_entity(self, entity: str, changes: list[Change]) -> None:
        table = entity_table(entity)
        ids = [c.id for c in changes]
        local: dict[str, int] = dict(
            self.session.connection()
            .exec_driver_sql(
                f'SELECT id, version FROM "{table.name}" '
                "WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(ids),),
            )
            .all()
        )
        pending = pending_fields(self.session, entity, ids)
        inserts, touched = [], []
        for change in changes:
            if change.id in local and local[change.id] >= change.version:
                continue
            if change.id not in local:
                if not change.deleted:
                    inserts.append(change)
                continue
            self._update(entity, change, pending.get(change.id, set()))
            touched.append(change.id)
        self._insert(entity, inserts)
        if entity == "client":
            self._refresh_keys(touched + ([] if self.defer_keys else [c.id for c in inserts]))

    def _new_row(self, entity: str, change: Change) -> dict[str, Any]:
        row = _defaults(entity) | to_columns(entity, change.fields)
        row.update(id=change.id, version=change.version, deleted=False, updated_at=utcnow())
        if entity == "client":
            row["sort_key"] = sort_key(row.get("name") or "")
        return row

    def _update(self, entity: str, change: Change, pending: set[str]) -> None:
        table = entity_table(entity)
        values: dict[str, Any] = {"version": change.version}
        if change.deleted:
            values["deleted"] = True
        else:
            values.update(
                {k: v for k, v in to_columns(entity, change.fields).items() if k not in pending}
            )
            if entity == "client" and "name" in values:
                values["sort_key"] = sort_key(values["name"] or "")
        self.session.execute(update(table).where(table.c.id == change.id).values(**values))
        self.applied += 1

    def _insert(self, entity: str, changes: list[Change]) -> None:
        if not changes:
            return
        try:
            with self.session.begin_nested():
                insert_new(self.session, entity, changes)
            self.applied += len(changes)
            return
        except APPLY_ERRORS:
            pass
        table = entity_table(entity)
        for (
            change
        ) in changes:  # slow path only when a row clashes with a local one (same ID number …)
            row = self._new_row(entity, change)
            try:
                with self.session.begin_nested():
                    self.session.execute(insert(table).values(**row))
                self.applied += 1
            except IntegrityError:
                self._clash(entity, row)

    def _clash(self, entity: str, row: dict[str, Any]) -> None:
        """The hub's record of a person this desk registered too (same ID number): this desk's copy,
        not yet on the hub, becomes that record; otherwise a person decides, with both names shown."""
        table = entity_table(entity)
        if entity == "village" and (mine := self._same_code(row)) is not None:
            adopt_village(self.session, mine, row)
            self.applied += 1
            return
        local = None
        if entity == "client" and row.get("id_number"):
            stmt = select(table.c.id, table.c.name, table.c.version).where(
                table.c.id_number == row["id_number"]
            )
            local = self.session.execute(stmt).first()
        if local is not None and local.version == 0:
            adopt_client_id(self.session, local.id, row["id"])
            self.session.execute(
                update(table)
                .where(table.c.id == row["id"])
                .values(**{k: v for k, v in row.items() if k != "id"})
            )
            self.applied += 1
            return
        label = (
            f"与本机委托人「{local.name}」证件号码相同"
            if local is not None
            else "与本机已有记录重复"
        )
        self.session.add(
            SyncConflict(
                entity=entity,
                entity_id=row["id"],
                field="id_number",
                hub_value=row.get("name"),
                local_value=local.name if local is not None else None,
                reason=bilingual(
                    f"乡镇服务器上的「{row.get('name', '')}」{label}，请与乡镇核实",
                    "the hub's record has the ID number of a record on this desk; check with the township",
                ),
            )
        )

    def _same_code(self, row: dict[str, Any]) -> str | None:
        """The id of this desk's own village with the hub village's code (set up offline)."""
        table = entity_table("village")
        stmt = select(table.c.id).where(table.c.code == row.get("code"), table.c.id != row["id"])
        return self.session.scalar(stmt)

    def _refresh_keys(self, ids: list[str]) -> None:
        """Search keys for pulled clients, so the one search box finds them like local ones."""
        if not ids:
            return
        table = entity_table("client")
        self.session.execute(delete(ClientSearchKey).where(ClientSearchKey.client_id.in_(ids)))  # type: ignore[attr-defined]
        rows = self.session.execute(
            select(table.c.id, table.c.name, table.c.id_number, table.c.phone).where(
                table.c.id.in_(ids)
            )
        ).all()
        keys = [
            {"key": k, "client_id": cid}
            for cid, name, number, phone in rows
            for k in self._name_keys(name) | client_keys("", number, phone) - {"n"}
        ]
        if keys:
            self.session.execute(insert(ClientSearchKey.__table__).prefix_with("OR IGNORE"), keys)  # type: ignore[attr-defined]

    def _name_keys(self, name: str) -> set[str]:
        if name not in self.key_cache:
            self.key_cache[name] = client_keys(name, None, None)
        return self.key_cache[name]


def _storable(value: Any) -> Any:
    """What of a refused change can be kept as evidence: text made safe, huge numbers as text."""
    if isinstance(value, dict):
        return {str(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_storable(v) for v in value]
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode().replace("\x00", "\ufffd")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
        return str(value)
    return value


def set_local_field(session: Session, entity: str, entity_id: str, name: str, value: Any) -> None:
    """Write one field from the hub without an outbox entry (the hub already has this value)."""
    table = entity_table(entity)
    values = to_columns(entity, {name: value})
    if values:
        session.execute(update(table).where(table.c.id == entity_id).values(**values))
