"""kill -9 in the middle of writes, form fills, roster imports and syncs: nothing reported saved is
lost, and the next sync converges.

A short bounded run here (``make test``); ``make soak`` runs 200 trials.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text

from agent_desk.services.clients import ClientInput, create_client
from agent_desk.store.models import Client
from tests.reliability.convergence import memory_keyring, running_hub, sync_and_compare
from tests.reliability.harness import open_desk_of, prepare, run_trials, workload_of

FIRST_SEED, TRIALS = (
    3,
    6,
)  # sync, writes, fills, imports, sync, writes: two trials killed while syncing


@pytest.mark.timeout(120)
def test_kill_9_at_random_points_loses_nothing_and_the_next_sync_converges(tmp_path: Path) -> None:
    trials = run_trials(tmp_path, TRIALS, first_seed=FIRST_SEED)
    assert [t.workload for t in trials] == [
        workload_of(s) for s in range(FIRST_SEED, FIRST_SEED + TRIALS)
    ]
    failed = [
        (t.seed, t.workload, t.all_problems[:3]) for t in trials if not (t.survived and t.converged)
    ]
    assert not failed
    assert sum(t.saved for t in trials) > TRIALS  # the kills did land mid-work
    syncing = [t for t in trials if t.workload == "sync"]
    assert len(syncing) >= 2 and sum(t.saved for t in syncing) > 0


def test_the_convergence_check_notices_what_never_reached_the_hub(tmp_path: Path) -> None:
    """The check can fail: a change made behind the outbox's back and a lost outbox are both found."""
    with memory_keyring(), running_hub(tmp_path / "hub") as hub:
        run = prepare(tmp_path, hub)
        desk = open_desk_of(run.data)
        try:
            assert sync_and_compare(desk, hub) == []
            with desk.db.session() as session:
                kept = create_client(
                    ClientInput(name="王小明", extra={"village_id": run.colleague.village_id}),
                    session=session,
                ).id
                session.commit()
            assert sync_and_compare(desk, hub) == []
            with desk.db.engine.begin() as conn:
                conn.execute(
                    text("UPDATE client SET phone = '13900000000' WHERE id = :i"), {"i": kept}
                )
            with desk.db.session() as session:
                lost = create_client(ClientInput(name="李小红"), session=session).id
                session.commit()
            with desk.db.engine.begin() as conn:
                conn.execute(text("DELETE FROM outbox"))
            problems = sync_and_compare(desk, hub)
        finally:
            desk.close()
            run.colleague.close()
    assert any(lost in p and "not on the hub" in p for p in problems)
    assert any(kept in p and "phone" in p for p in problems)


def test_a_client_made_without_a_village_converges_to_the_village_the_hub_gave_it(
    tmp_path: Path,
) -> None:
    with memory_keyring(), running_hub(tmp_path / "hub") as hub:
        run = prepare(tmp_path, hub)
        desk = open_desk_of(run.data)
        try:
            with desk.db.session() as session:
                create_client(
                    ClientInput(name="王小明"), session=session
                )  # e.g. a roster without 所属村
                session.commit()
            problems = sync_and_compare(desk, hub)
            with (
                desk.db.session() as session
            ):  # the hub gave it the agent's only village, and the desk took it
                villages = {
                    c.village_id
                    for c in session.scalars(select(Client).where(Client.name == "王小明"))
                }
        finally:
            desk.close()
            run.colleague.close()
    assert problems == []
    assert len(villages) == 1 and None not in villages
