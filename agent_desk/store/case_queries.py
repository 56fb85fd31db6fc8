"""Case board queries: filters, sort and pages of ids, plus the rows a page shows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    func,
    literal_column,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlmodel import Session

from agent_desk.store.models import (
    Case,
    CaseDocument,
    CaseEvent,
    Client,
    ClientDocument,
    ClientSearchKey,
    GeneratedDocument,
    HandoverBatch,
    Village,
)
from agent_desk.store.search_keys import query_ranges

OPEN = ("entrusted", "accepted", "in_progress", "needs_correction")
ALL_STATUSES = (*OPEN, "concluded", "delivered", "archived", "withdrawn", "not_accepted")
# sort key -> (column, descending). Pages follow index order (column, rowid) so a page is a short
# index scan, never a sort of the whole table.
ORDER = {
    "due": ("due_on", False),
    "newest": ("entrusted_on", True),
    "oldest": ("entrusted_on", False),
}
ROWID = literal_column('"case".rowid', Integer)
STATUS_UNINDEXED = literal_column('+"case".status', String)
CLIENT_UNINDEXED = literal_column('+"case".client_id', String)
FAR = date(9999, 12, 31)  # the sort date of a case without a deadline: after every real one
Cursor = tuple[
    Any, Any
]  # (sort date of the last row shown, its id or rowid): where the next page starts
Narrow = Callable[[Select], Select]  # type: ignore[type-arg]
BOARD_MATCH = Table(
    "board_match", MetaData(), Column("client_id", String, primary_key=True), schema="temp"
)
COMMON_KEYS = (
    1500  # search keys past which a name is common (~500 clients): walk the board order instead
)


@dataclass(frozen=True)
class CaseFilter:
    statuses: tuple[str, ...] = ()
    item_code: str | None = None
    village_id: str | None = None
    overdue_on: date | None = None  # open cases due before this date
    due_by: date | None = None  # open cases due on or before this date (due soon)
    due_from: date | None = None  # … and on or after this one: "due soon" is not yet overdue
    text: str = ""  # case number prefix, or a client search
    client_id: str | None = None
    sort: str = "due"
    batch_id: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def effective_statuses(f: CaseFilter) -> tuple[str, ...]:
    """Deadline filters only concern open cases; fold that into the status list."""
    statuses = f.statuses
    if f.overdue_on or f.due_by:
        statuses = tuple(st for st in (statuses or OPEN) if st in OPEN)
    return statuses


def _where(
    stmt: Select, f: CaseFilter, statuses: tuple[str, ...], *, deleted: bool | None = False
) -> Select:  # type: ignore[type-arg]
    if deleted is not None:
        stmt = stmt.where(Case.deleted == deleted)
    if statuses:
        # A search reads each matching client's few cases with one seek and filters their status
        # there ("+" keeps SQLite from seeking once per status: 4× fewer seeks for "wang").
        status = STATUS_UNINDEXED if f.text and not _case_no(f.text) else Case.status
        stmt = stmt.where(status.in_(statuses))  # type: ignore[attr-defined]
    if f.item_code:
        stmt = stmt.where(Case.item_code == f.item_code)
    if f.village_id:
        stmt = stmt.where(Case.village_id == f.village_id)
    if f.client_id:
        stmt = stmt.where(Case.client_id == f.client_id)
    if f.batch_id:
        stmt = stmt.where(Case.batch_id == f.batch_id)
    if f.overdue_on:
        stmt = stmt.where(Case.due_on < f.overdue_on)  # type: ignore[operator]
    if f.due_by:
        stmt = stmt.where(Case.due_on <= f.due_by)  # type: ignore[operator]
    if f.due_from:
        stmt = stmt.where(Case.due_on >= f.due_from)  # type: ignore[operator]
    if f.text:
        stmt = _text(stmt, f.text)
    return stmt


def _text(stmt: Select, text: str) -> Select:  # type: ignore[type-arg]
    """Every case of every matching client (no cap: the count and the list are complete).

    The clients come from a range scan of the search keys; their cases from the covering index
    ``ix_case_client_board`` (migration 0008), so the cost follows the matches, never the open cases.
    """
    text = text.strip()
    if _case_no(text):
        upper = text.upper()
        return stmt.where(Case.case_no >= upper, Case.case_no < upper + "\U0010ffff")  # type: ignore[operator]
    clients = matching_clients(text)
    if clients is None:
        return stmt
    return stmt.where(Case.client_id.in_(clients))  # type: ignore[attr-defined]


def _case_no(text: str) -> bool:
    return text.strip().upper().startswith("DB")


def matching_clients(text: str) -> Select | None:  # type: ignore[type-arg]
    """The distinct ids of the clients a search box text finds, or None when the text finds everyone."""
    key = ClientSearchKey.key
    ranges = query_ranges(text)
    if not ranges:
        return None
    return (
        select(ClientSearchKey.client_id)
        .where(or_(*[(key >= lo) & (key < hi) for lo, hi in ranges]))
        .distinct()
    )  # type: ignore[operator]


def _common_name(session: Session, f: CaseFilter) -> Narrow | None:
    """For a name many clients share (``wang``: one client in nine), a filter that walks the board's
    own order and keeps the matching clients' cases; None for a search the client keys answer best.

    Reading each matching client's cases costs a random page per client: a few for a rare name, but
    11,000 for ``wang``, and each page of an encrypted desk is decrypted. Walking the deadline index
    (``ix_case_status_due_client``, which carries the client) reads pages in order and stops once a
    page of the board is full. The key range tells which case it is, from at most COMMON_KEYS keys.
    """
    if not f.text or _case_no(f.text) or f.client_id or f.batch_id or f.sort != "due":
        return None
    clients = matching_clients(f.text)
    if clients is None:
        return None
    probe = (
        select(ClientSearchKey.client_id).where(clients.whereclause).limit(COMMON_KEYS).subquery()
    )  # type: ignore[arg-type]
    if (session.scalar(select(func.count()).select_from(probe)) or 0) < COMMON_KEYS:
        return None
    # The matching clients once per page in a keyed temp table (memory): every status's walk probes
    # it, where an IN subquery would build its own copy per status.
    connection = session.connection()
    connection.exec_driver_sql(
        "CREATE TEMP TABLE IF NOT EXISTS board_match (client_id TEXT PRIMARY KEY) WITHOUT ROWID"
    )
    connection.execute(BOARD_MATCH.delete())
    keys = select(ClientSearchKey.client_id).where(clients.whereclause)  # type: ignore[arg-type]
    connection.execute(
        BOARD_MATCH.insert().prefix_with("OR IGNORE").from_select(["client_id"], keys)
    )  # no DISTINCT sort

    def narrow(stmt: Select) -> Select:  # type: ignore[type-arg]
        # checked on each index entry as the walk passes it ("+": never a probe per client)
        stmt = stmt.where(CLIENT_UNINDEXED.in_(select(BOARD_MATCH.c.client_id)))
        return stmt.with_hint(Case, "INDEXED BY ix_case_status_due_client", "sqlite")

    return narrow


def case_page(
    session: Session, f: CaseFilter, *, after: Cursor | None = None, limit: int = 200
) -> list[tuple[str, Cursor]]:
    """A page of (case id, cursor) in board order, starting after ``after`` (keyset paging).

    Board order is (deadline, id) or (entrusted date, rowid), cases without a deadline last. A page seeks by that key, so
    it costs the same at row 100,000 as at row 0, and an edit between pages neither repeats nor skips
    a row. Several statuses merge one index seek per status.
    """
    statuses = effective_statuses(f)
    if (f.overdue_on or f.due_by) and not statuses:
        return []
    narrow = _common_name(session, f)
    if narrow is not None:
        f = replace(f, text="")
    elif f.text or f.client_id or f.batch_id:
        return _few_page(session, f, statuses, after, limit)
    statuses = statuses or ALL_STATUSES
    found: list[tuple[str, Cursor]] = []
    if after is None or after[0] is not None:
        found = _merged(
            session, f, [_dated_part(f, st, after, limit, narrow) for st in statuses], limit
        )
    column, desc = ORDER.get(f.sort, ORDER["due"])
    if len(found) < limit and column == "due_on" and not desc:  # the page reaches the undated cases
        since = after[1] if after is not None and after[0] is None else None
        parts = [_undated_part(f, st, since, limit, narrow) for st in statuses]
        found += _merged(session, f, parts, limit - len(found))
    return found


def _merged(
    session: Session, f: CaseFilter, parts: list[Select], limit: int
) -> list[tuple[str, Cursor]]:  # type: ignore[type-arg]
    merged = union_all(*parts).subquery()
    _, desc = ORDER.get(f.sort, ORDER["due"])
    order = (merged.c.k.desc(), merged.c.r.desc()) if desc else (merged.c.k, merged.c.r)
    rows = session.execute(
        select(merged.c.id, merged.c.k, merged.c.r).order_by(*order).limit(limit)
    )
    return [(case_id, (k, r)) for case_id, k, r in rows]


def _status_base(f: CaseFilter, status: str, narrow: Narrow | None) -> Select:  # type: ignore[type-arg]
    col = getattr(Case, ORDER.get(f.sort, ORDER["due"])[0])
    base = _where(select(Case.id, col.label("k"), _tie(f).label("r")), f, (status,))
    return base if narrow is None else narrow(base)


def _dated_part(
    f: CaseFilter, status: str, after: Cursor | None, limit: int, narrow: Narrow | None
) -> Select:  # type: ignore[type-arg]
    """One status's cases with a date, from after the cursor, in index order."""
    column, desc = ORDER.get(f.sort, ORDER["due"])
    col = getattr(Case, column)
    dated = _status_base(f, status, narrow).where(col.is_not(None))
    if after is not None:
        dated = dated.where(tuple_(col, _tie(f)) < after if desc else tuple_(col, _tie(f)) > after)
    return select(dated.order_by(*_ordering(f)).limit(limit).subquery())


def _undated_part(
    f: CaseFilter, status: str, since: int | None, limit: int, narrow: Narrow | None
) -> Select:  # type: ignore[type-arg]
    """One status's cases without a deadline (not yet accepted), after rowid ``since``; read only
    once a page has passed every case with a deadline."""
    undated = _status_base(f, status, narrow).where(Case.due_on.is_(None))  # type: ignore[union-attr]
    if since is not None:
        undated = undated.where(_tie(f) > since)
    return select(undated.order_by(_tie(f)).limit(limit).subquery())


def _few_page(
    session: Session, f: CaseFilter, statuses: tuple[str, ...], after: Cursor | None, limit: int
) -> list[tuple[str, Cursor]]:
    """A search, a client or a batch: their own index finds a few cases; sorting them is cheap."""
    column, desc = ORDER.get(f.sort, ORDER["due"])
    col = getattr(Case, column)
    key = func.coalesce(col, FAR)
    tie = _tie(f)
    stmt = _where(select(Case.id, col, tie), f, statuses)
    if after is not None:
        seek = (FAR if after[0] is None else after[0], after[1])
        stmt = stmt.where(tuple_(key, tie) < seek if desc else tuple_(key, tie) > seek)
    order = (key.desc(), tie.desc()) if desc else (key, tie)
    return [
        (case_id, (k, r)) for case_id, k, r in session.execute(stmt.order_by(*order).limit(limit))
    ]


def _tie(f: CaseFilter) -> Any:
    """Cases due the same day go by id (``ix_case_status_due_client`` holds it in that order, so a
    page stops when full); by entrusted date they go by rowid (``ix_case_status_entrusted``)."""
    return Case.id if ORDER.get(f.sort, ORDER["due"])[0] == "due_on" else ROWID


def _ordering(f: CaseFilter) -> tuple[Any, Any]:
    column, desc = ORDER.get(f.sort, ORDER["due"])
    col = getattr(Case, column)
    return (col.desc(), _tie(f).desc()) if desc else (col, _tie(f))


def count_cases(session: Session, f: CaseFilter) -> int:
    """Count from the indexes: all matching rows minus the (rare) tombstones among them."""
    statuses = effective_statuses(f)
    if (f.overdue_on or f.due_by) and not statuses:
        return 0
    counted = select(func.count()).select_from(Case)
    narrow = _common_name(session, f)
    if narrow is not None:  # one pass over the statuses' deadline index, in page order
        return (
            session.scalar(narrow(_where(counted, replace(f, text=""), statuses or ALL_STATUSES)))
            or 0
        )
    if f.text:  # the matching clients' cases, read from the covering index
        return session.scalar(_where(counted, f, statuses)) or 0
    everything = session.scalar(_where(counted, f, statuses, deleted=None)) or 0
    tombstones = session.scalar(_where(counted, f, statuses, deleted=True)) or 0
    return everything - tombstones


@dataclass(frozen=True)
class CaseRow:
    id: str
    case_no: str
    status: str
    item_name: str
    client_name: str
    village: str | None
    entrusted_on: date
    due_on: date | None
    deferred: bool


def case_rows(session: Session, ids: Sequence[str]) -> dict[str, CaseRow]:
    if not ids:
        return {}
    stmt = (
        select(
            Case.id,
            Case.case_no,
            Case.status,
            Case.item_name,
            Client.name,
            Village.name,
            Case.entrusted_on,
            Case.due_on,
            Case.deferred,
        )
        .join(Client, Client.id == Case.client_id)
        .outerjoin(Village, Village.id == Case.village_id)
        .where(Case.id.in_(list(ids)))  # type: ignore[attr-defined]
    )
    return {row[0]: CaseRow(*row) for row in session.execute(stmt)}


def item_choices(session: Session) -> list[tuple[str, str]]:
    """(code, name) of the items that have cases, for the board's item filter.

    DISTINCT over the (item_code, …) index and one indexed lookup per item: a handful of
    codes, never a scan of every case.
    """
    codes = list(session.scalars(select(Case.item_code).distinct().order_by(Case.item_code)))

    def name(code: str) -> str:
        return session.scalar(select(Case.item_name).where(Case.item_code == code).limit(1)) or code

    return [(code, name(code)) for code in codes]


def library_by_kind(session: Session, client_id: str) -> dict[str, ClientDocument]:
    """The client's attached documents by kind, newest winning: a case reuses them."""
    stmt = (
        select(ClientDocument)
        .where(ClientDocument.client_id == client_id, ClientDocument.deleted == False)  # noqa: E712
        .order_by(ClientDocument.added_at)  # type: ignore[arg-type]
    )
    return {row.doc_kind: row for row in session.scalars(stmt)}


def case_documents(session: Session, case_id: str) -> list[CaseDocument]:
    stmt = (
        select(CaseDocument)
        .where(CaseDocument.case_id == case_id, CaseDocument.deleted == False)  # noqa: E712
        .order_by(CaseDocument.position, CaseDocument.name)  # type: ignore[arg-type]
    )
    return list(session.scalars(stmt))


def case_events(session: Session, case_id: str) -> list[CaseEvent]:
    stmt = select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.at)  # type: ignore[arg-type]
    return list(session.scalars(stmt))


def generated_documents(session: Session, case_id: str) -> list[GeneratedDocument]:
    stmt = (
        select(GeneratedDocument)
        .where(GeneratedDocument.case_id == case_id)
        .order_by(GeneratedDocument.created_at)
    )  # type: ignore[arg-type]
    return list(session.scalars(stmt))


# -- the agent's workspace: library, household, hand-over, generated documents ----------------------
def client_documents(session: Session, client_id: str) -> list[ClientDocument]:
    stmt = (
        select(ClientDocument)
        .where(ClientDocument.client_id == client_id, ClientDocument.deleted == False)  # noqa: E712
        .order_by(ClientDocument.added_at)  # type: ignore[arg-type]
    )
    return list(session.scalars(stmt))


def client_document_by_hash(
    session: Session, client_id: str, sha256: str, doc_kind: str
) -> ClientDocument | None:
    stmt = select(ClientDocument).where(
        ClientDocument.client_id == client_id,
        ClientDocument.sha256 == sha256,
        ClientDocument.doc_kind == doc_kind,
        ClientDocument.deleted == False,  # noqa: E712
    )
    return session.scalars(stmt).first()


def household_members(session: Session, household_id: str) -> list[Client]:
    stmt = (
        select(Client)
        .where(Client.household_id == household_id, Client.deleted == False)  # noqa: E712
        .order_by(Client.birth_date, Client.sort_key)  # type: ignore[arg-type]
    )
    return list(session.scalars(stmt))


def item_usage(session: Session) -> dict[str, int]:
    """Cases per item code, for 'most used first' in the intake wizard (an index-only scan)."""
    stmt = select(Case.item_code, func.count()).group_by(Case.item_code)
    return {code: count for code, count in session.execute(stmt)}


def handover_candidate_ids(session: Session, *, limit: int = 500) -> list[str]:
    """Accepted cases not yet in a hand-over batch, oldest deadline first."""
    stmt = (
        select(Case.id)
        .where(Case.status == "accepted", Case.batch_id.is_(None), Case.deleted == False)  # type: ignore[union-attr]  # noqa: E712
        .order_by(Case.due_on, ROWID)  # type: ignore[arg-type]
        .limit(limit)
    )
    return list(session.scalars(stmt))


def batch_case_ids(session: Session, batch_id: str) -> list[str]:
    stmt = (
        select(Case.id)
        .where(Case.batch_id == batch_id, Case.deleted == False)
        .order_by(Case.case_no)
    )  # type: ignore[arg-type]  # noqa: E712
    return list(session.scalars(stmt))


def recent_batches(session: Session, *, limit: int = 100) -> list[tuple[HandoverBatch, int]]:
    """The newest hand-over batches with how many cases each carries."""
    counts = (
        select(Case.batch_id, func.count().label("n"))
        .where(Case.batch_id.is_not(None))
        .group_by(Case.batch_id)
        .subquery()
    )  # type: ignore[union-attr]
    stmt = (
        select(HandoverBatch, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.batch_id == HandoverBatch.id)
        .where(HandoverBatch.deleted == False)  # noqa: E712
        .order_by(HandoverBatch.created_at.desc())  # type: ignore[attr-defined]
        .limit(limit)
    )
    return [(batch, int(n)) for batch, n in session.execute(stmt)]


def generated_by_template(
    session: Session, case_id: str | None, template: str
) -> GeneratedDocument | None:
    stmt = select(GeneratedDocument).where(
        GeneratedDocument.case_id == case_id,
        GeneratedDocument.template == template,
        GeneratedDocument.deleted == False,
    )  #  # noqa: E712
    return session.scalars(stmt).first()


def last_event(session: Session, case_id: str, action: str) -> CaseEvent | None:
    stmt = (
        select(CaseEvent)
        .where(CaseEvent.case_id == case_id, CaseEvent.action == action)
        .order_by(CaseEvent.at.desc())  # type: ignore[attr-defined]
    )
    return session.scalars(stmt).first()


def case_by_no(session: Session, case_no: str) -> Case | None:
    return session.scalars(select(Case).where(Case.case_no == case_no)).first()
