"""The case (办件) state machine: every (status, action) pair, and every payload requirement."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest

from agent_desk.core.case_flow import (
    OPEN_STATUSES,
    CaseAction,
    CaseOutcome,
    CaseStatus,
    DeliveryMethod,
    ForbiddenTransition,
    MissingRequirement,
    Transition,
    allowed_actions,
    is_terminal,
    plan_transition,
)
from agent_desk.core.errors import DomainError

S, A = CaseStatus, CaseAction

# The lifecycle of DESIGN.md §2, written out independently of the implementation's table.
ALLOWED: dict[tuple[CaseStatus, CaseAction], CaseStatus] = {
    (S.ENTRUSTED, A.ACCEPT): S.ACCEPTED,
    (S.ENTRUSTED, A.REFUSE_ACCEPTANCE): S.NOT_ACCEPTED,
    (S.ACCEPTED, A.SUBMIT): S.IN_PROGRESS,
    (S.ACCEPTED, A.RETURN_FOR_CORRECTION): S.NEEDS_CORRECTION,
    (S.IN_PROGRESS, A.RETURN_FOR_CORRECTION): S.NEEDS_CORRECTION,
    (S.NEEDS_CORRECTION, A.RESUBMIT): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.APPROVE): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.CONCLUDE): S.CONCLUDED,
    (S.CONCLUDED, A.DELIVER): S.DELIVERED,
    (S.DELIVERED, A.FOLLOW_UP): S.DELIVERED,
    (S.ARCHIVED, A.FOLLOW_UP): S.ARCHIVED,
    (S.DELIVERED, A.ARCHIVE): S.ARCHIVED,
    (S.WITHDRAWN, A.ARCHIVE): S.ARCHIVED,
    (S.NOT_ACCEPTED, A.ARCHIVE): S.ARCHIVED,
    (S.ENTRUSTED, A.WITHDRAW): S.WITHDRAWN,
    (S.ACCEPTED, A.WITHDRAW): S.WITHDRAWN,
    (S.IN_PROGRESS, A.WITHDRAW): S.WITHDRAWN,
    (S.NEEDS_CORRECTION, A.WITHDRAW): S.WITHDRAWN,
}

# A payload that satisfies each action's requirements.
VALID: dict[CaseAction, dict[str, Any]] = {
    A.ACCEPT: {},
    A.REFUSE_ACCEPTANCE: {"reason": "不属于本事项办理范围"},
    A.SUBMIT: {},
    A.RETURN_FOR_CORRECTION: {"reasons": ["户口簿复印件不清晰"]},
    A.RESUBMIT: {},
    A.APPROVE: {},
    A.CONCLUDE: {"outcome": "approved"},
    A.DELIVER: {},
    A.FOLLOW_UP: {"satisfaction": 5},
    A.ARCHIVE: {},
    A.WITHDRAW: {"reason": "委托人不再申请"},
}

PAIRS = list(itertools.product(CaseStatus, CaseAction))


def _id(pair: tuple[CaseStatus, CaseAction]) -> str:
    return f"{pair[0]}-{pair[1]}"


@pytest.mark.parametrize("pair", [p for p in PAIRS if p in ALLOWED], ids=_id)
def test_allowed_transition(pair: tuple[CaseStatus, CaseAction]) -> None:
    status, action = pair
    t = plan_transition(status, action, VALID[action])
    assert isinstance(t, Transition)
    assert (t.action, t.from_status, t.to_status) == (action, status, ALLOWED[pair])
    assert t.changes_status is (ALLOWED[pair] != status)


@pytest.mark.parametrize("pair", [p for p in PAIRS if p not in ALLOWED], ids=_id)
def test_forbidden_transition(pair: tuple[CaseStatus, CaseAction]) -> None:
    status, action = pair
    with pytest.raises(ForbiddenTransition) as err:
        plan_transition(status, action, VALID[action])
    assert str(err.value) == f"状态为「{status.label_zh}」的办件不能执行「{action.label_zh}」"
    assert err.value.code == "case.forbidden_transition"
    assert isinstance(err.value, DomainError)
    assert (err.value.status, err.value.action) == (status, action)


def test_forbidden_message_example() -> None:
    with pytest.raises(ForbiddenTransition, match="^状态为「办结」的办件不能执行「受理」$"):
        plan_transition(S.CONCLUDED, A.ACCEPT, {})


def test_forbidden_checked_before_payload() -> None:
    # a bad payload on a forbidden pair reports the transition, the more basic mistake
    with pytest.raises(ForbiddenTransition):
        plan_transition(S.ARCHIVED, A.WITHDRAW, {})


@pytest.mark.parametrize("status", list(CaseStatus))
def test_allowed_actions_matches_matrix(status: CaseStatus) -> None:
    expected = [a for a in CaseAction if (status, a) in ALLOWED]
    assert allowed_actions(status) == expected


def test_allowed_actions_examples() -> None:
    assert allowed_actions(S.ENTRUSTED) == [A.ACCEPT, A.REFUSE_ACCEPTANCE, A.WITHDRAW]
    assert allowed_actions(S.ARCHIVED) == [A.FOLLOW_UP]
    assert allowed_actions(S.CONCLUDED) == [A.DELIVER]


def test_terminal_and_open_statuses() -> None:
    assert [s for s in CaseStatus if is_terminal(s)] == [S.ARCHIVED]
    assert frozenset({S.ENTRUSTED, S.ACCEPTED, S.IN_PROGRESS, S.NEEDS_CORRECTION}) == OPEN_STATUSES


def test_labels() -> None:
    assert [s.label_zh for s in CaseStatus] == [
        "委托",
        "受理",
        "办理中",
        "办结",
        "送达",
        "归档",
        "补正",
        "撤回",
        "不予受理",
    ]
    assert A.RETURN_FOR_CORRECTION.label_zh == "退回补正"
    assert all(a.label_zh for a in CaseAction)
    assert len({a.label_zh for a in CaseAction}) == len(CaseAction)
    assert (CaseOutcome.APPROVED.label_zh, CaseOutcome.REFUSED.label_zh) == ("准予", "不予")
    assert [m.label_zh for m in DeliveryMethod] == ["自取", "代送上门", "邮政寄递"]


def test_plain_strings_accepted_and_unknown_refused() -> None:
    t = plan_transition("entrusted", "accept", None)  # type: ignore[arg-type]
    assert t.to_status is S.ACCEPTED and t.payload == {}
    with pytest.raises(DomainError, match="未知的办件状态"):
        plan_transition("lost", A.ACCEPT, {})  # type: ignore[arg-type]
    with pytest.raises(DomainError, match="未知的办件操作"):
        plan_transition(S.ENTRUSTED, "burn", {})  # type: ignore[arg-type]
    with pytest.raises(DomainError):
        allowed_actions("lost")  # type: ignore[arg-type]


def test_payload_is_read_only_and_extra_keys_pass_through() -> None:
    given = {"handover_id": "HX-0001"}
    t = plan_transition(S.ACCEPTED, A.SUBMIT, given)
    assert t.payload == {"handover_id": "HX-0001"}
    with pytest.raises(TypeError):
        t.payload["x"] = 1  # type: ignore[index]
    given["handover_id"] = "changed"
    assert t.payload["handover_id"] == "HX-0001"


# --- requirements --------------------------------------------------------------------------------

MISSING: list[tuple[CaseStatus, CaseAction, dict[str, Any], str]] = [
    # 容缺受理: each deferred document needs a name and a promised date
    (
        S.ENTRUSTED,
        A.ACCEPT,
        {"deferred_documents": [{"name": "户口簿"}]},
        "deferred_documents[0].promised_on",
    ),
    (
        S.ENTRUSTED,
        A.ACCEPT,
        {"deferred_documents": [{"name": "户口簿", "promised_on": None}]},
        "deferred_documents[0].promised_on",
    ),
    (
        S.ENTRUSTED,
        A.ACCEPT,
        {"deferred_documents": [{"name": "户口簿", "promised_on": "下周"}]},
        "deferred_documents[0].promised_on",
    ),
    (
        S.ENTRUSTED,
        A.ACCEPT,
        {"deferred_documents": [{"promised_on": "2026-03-02"}]},
        "deferred_documents[0]",
    ),
    (
        S.ENTRUSTED,
        A.ACCEPT,
        {"deferred_documents": [{"name": " ", "promised_on": "2026-03-02"}]},
        "deferred_documents[0]",
    ),
    (S.ENTRUSTED, A.ACCEPT, {"deferred_documents": ["户口簿"]}, "deferred_documents[0]"),
    (S.ENTRUSTED, A.ACCEPT, {"deferred_documents": "户口簿"}, "deferred_documents"),
    (
        S.ENTRUSTED,
        A.ACCEPT,
        {"deferred_documents": [{"name": "a", "promised_on": date(2026, 3, 2)}, {"name": "b"}]},
        "deferred_documents[1].promised_on",
    ),
    # reasons
    (S.ENTRUSTED, A.REFUSE_ACCEPTANCE, {}, "reason"),
    (S.ENTRUSTED, A.REFUSE_ACCEPTANCE, {"reason": "   "}, "reason"),
    (S.ENTRUSTED, A.REFUSE_ACCEPTANCE, {"reason": 3}, "reason"),
    (S.IN_PROGRESS, A.RETURN_FOR_CORRECTION, {}, "reasons"),
    (S.IN_PROGRESS, A.RETURN_FOR_CORRECTION, {"reasons": []}, "reasons"),
    (S.ACCEPTED, A.RETURN_FOR_CORRECTION, {"reasons": ["  "]}, "reasons"),
    (S.ACCEPTED, A.RETURN_FOR_CORRECTION, {"reasons": ["缺照片", ""]}, "reasons"),
    (S.ACCEPTED, A.RETURN_FOR_CORRECTION, {"reasons": "缺照片"}, "reasons"),
    (S.ACCEPTED, A.RETURN_FOR_CORRECTION, {"reasons": [None]}, "reasons"),
    (S.ACCEPTED, A.WITHDRAW, {}, "reason"),
    (S.NEEDS_CORRECTION, A.WITHDRAW, {"reason": "\t\n"}, "reason"),
    # outcome
    (S.IN_PROGRESS, A.CONCLUDE, {}, "outcome"),
    (S.IN_PROGRESS, A.CONCLUDE, {"outcome": "maybe"}, "outcome"),
    (S.IN_PROGRESS, A.CONCLUDE, {"outcome": "准予"}, "outcome"),
    (S.IN_PROGRESS, A.CONCLUDE, {"outcome": "refused"}, "reason"),
    (S.IN_PROGRESS, A.CONCLUDE, {"outcome": "refused", "reason": " "}, "reason"),
    # delivery method
    (S.CONCLUDED, A.DELIVER, {"method": "快递"}, "method"),
    (S.CONCLUDED, A.DELIVER, {"method": ["post"]}, "method"),
    # satisfaction: an int 1-5, nothing else
    (S.DELIVERED, A.FOLLOW_UP, {}, "satisfaction"),
    (S.DELIVERED, A.FOLLOW_UP, {"satisfaction": 0}, "satisfaction"),
    (S.DELIVERED, A.FOLLOW_UP, {"satisfaction": 6}, "satisfaction"),
    (S.DELIVERED, A.FOLLOW_UP, {"satisfaction": -1}, "satisfaction"),
    (S.DELIVERED, A.FOLLOW_UP, {"satisfaction": "3"}, "satisfaction"),
    (S.DELIVERED, A.FOLLOW_UP, {"satisfaction": 3.0}, "satisfaction"),
    (S.ARCHIVED, A.FOLLOW_UP, {"satisfaction": True}, "satisfaction"),
    (S.DELIVERED, A.FOLLOW_UP, {"satisfaction": 4, "comment": 12}, "comment"),
]


@pytest.mark.parametrize(("status", "action", "payload", "field"), MISSING)
def test_missing_requirement(
    status: CaseStatus, action: CaseAction, payload: dict[str, Any], field: str
) -> None:
    with pytest.raises(MissingRequirement) as err:
        plan_transition(status, action, payload)
    assert err.value.field == field
    assert err.value.code == "case.missing_requirement"
    assert isinstance(err.value, DomainError)
    assert str(err.value) and err.value.message_en != str(err.value)


def test_missing_reasons_message() -> None:
    with pytest.raises(MissingRequirement, match="退回补正须填写至少一条原因"):
        plan_transition(S.IN_PROGRESS, A.RETURN_FOR_CORRECTION, {"reasons": []})


def test_missing_promised_date_names_the_document() -> None:
    with pytest.raises(MissingRequirement, match="「户口簿」须填写承诺补交日期"):
        plan_transition(S.ENTRUSTED, A.ACCEPT, {"deferred_documents": [{"name": "户口簿"}]})


# --- normalisation -------------------------------------------------------------------------------


def test_accept_with_deferred_documents_normalised() -> None:
    t = plan_transition(
        S.ENTRUSTED,
        A.ACCEPT,
        {
            "deferred_documents": [
                {"name": " 户口簿 ", "promised_on": "2026-03-02", "document_code": "HKB"},
                {"name": "照片", "promised_on": date(2026, 3, 5)},
            ]
        },
    )
    docs = t.payload["deferred_documents"]
    assert docs == (
        {"name": "户口簿", "promised_on": date(2026, 3, 2), "document_code": "HKB"},
        {"name": "照片", "promised_on": date(2026, 3, 5)},
    )


def test_accept_without_deferral() -> None:
    assert plan_transition(S.ENTRUSTED, A.ACCEPT, {}).payload == {}
    assert plan_transition(S.ENTRUSTED, A.ACCEPT, {"deferred_documents": None}).payload == {}
    assert plan_transition(S.ENTRUSTED, A.ACCEPT, {"deferred_documents": []}).payload == {
        "deferred_documents": ()
    }


def test_reasons_stripped() -> None:
    t = plan_transition(S.ACCEPTED, A.RETURN_FOR_CORRECTION, {"reasons": [" 缺照片 ", "签名不全"]})
    assert t.payload["reasons"] == ("缺照片", "签名不全")
    t = plan_transition(S.ENTRUSTED, A.WITHDRAW, {"reason": "  搬迁外地 "})
    assert t.payload["reason"] == "搬迁外地"


def test_conclude_outcomes() -> None:
    t = plan_transition(S.IN_PROGRESS, A.CONCLUDE, {"outcome": CaseOutcome.APPROVED, "reason": " "})
    assert t.payload == {"outcome": CaseOutcome.APPROVED}
    t = plan_transition(S.IN_PROGRESS, A.CONCLUDE, {"outcome": "refused", "reason": "不符合条件"})
    assert t.payload["outcome"] is CaseOutcome.REFUSED
    assert t.payload["reason"] == "不符合条件"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("post", DeliveryMethod.POST),
        ("邮寄", DeliveryMethod.POST),
        ("自取", DeliveryMethod.PICKUP),
        (DeliveryMethod.AGENT, DeliveryMethod.AGENT),
        ("代办员送达", DeliveryMethod.AGENT),
        ("代送上门", DeliveryMethod.AGENT),
        ("邮政寄递", DeliveryMethod.POST),
    ],
)
def test_delivery_method(given: str, expected: DeliveryMethod) -> None:
    t = plan_transition(S.CONCLUDED, A.DELIVER, {"method": given, "tracking_no": " 9812345678901 "})
    assert t.payload["method"] is expected


def test_delivery_by_post_needs_its_tracking_number() -> None:
    with pytest.raises(DomainError, match="邮件号"):
        plan_transition(S.CONCLUDED, A.DELIVER, {"method": "post", "tracking_no": " "})
    t = plan_transition(
        S.CONCLUDED, A.DELIVER, {"method": "邮政寄递", "tracking_no": " 9812345678901 "}
    )
    assert t.payload["tracking_no"] == "9812345678901"


def test_conclusion_keeps_its_certificate_number() -> None:
    t = plan_transition(
        S.IN_PROGRESS, A.CONCLUDE, {"outcome": "approved", "certificate_no": " 62052400001 "}
    )
    assert t.payload["certificate_no"] == "62052400001"


def test_deliver_without_method() -> None:
    assert plan_transition(S.CONCLUDED, A.DELIVER, {"method": None}).payload == {}


@pytest.mark.parametrize("score", [1, 2, 3, 4, 5])
def test_follow_up_scores(score: int) -> None:
    t = plan_transition(S.DELIVERED, A.FOLLOW_UP, {"satisfaction": score, "comment": " 很满意 "})
    assert t.payload == {"satisfaction": score, "comment": "很满意"}
    assert t.to_status is S.DELIVERED


def test_follow_up_blank_comment_dropped() -> None:
    t = plan_transition(S.ARCHIVED, A.FOLLOW_UP, {"satisfaction": 4, "comment": "  "})
    assert t.payload == {"satisfaction": 4}


def test_approve_is_recorded_without_status_change() -> None:
    t = plan_transition(S.IN_PROGRESS, A.APPROVE, {"comment": "材料齐全"})
    assert (t.from_status, t.to_status, t.changes_status) == (S.IN_PROGRESS, S.IN_PROGRESS, False)
    assert t.payload == {"comment": "材料齐全"}


def test_non_mapping_payload_refused() -> None:
    with pytest.raises(TypeError):
        plan_transition(S.ACCEPTED, A.SUBMIT, ["x"])  # type: ignore[arg-type]


def test_whole_lifecycle_walk() -> None:
    steps: list[tuple[CaseAction, dict[str, Any]]] = [
        (A.ACCEPT, {"deferred_documents": [{"name": "户口簿", "promised_on": "2026-03-02"}]}),
        (A.SUBMIT, {}),
        (A.RETURN_FOR_CORRECTION, {"reasons": ["照片不清晰"]}),
        (A.RESUBMIT, {}),
        (A.APPROVE, {}),
        (A.CONCLUDE, {"outcome": "approved"}),
        (A.DELIVER, {"method": "自取"}),
        (A.FOLLOW_UP, {"satisfaction": 5}),
        (A.ARCHIVE, {}),
    ]
    status = S.ENTRUSTED
    for action, payload in steps:
        assert action in allowed_actions(status)
        status = plan_transition(status, action, payload).to_status
    assert status is S.ARCHIVED and is_terminal(status)
