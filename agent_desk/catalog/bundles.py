"""Bundles (一件事) in the catalog: loaded after the items they name, checked as a whole.

A bundle is refused, with file and line, when it names an item the catalog lacks, when its
dependencies loop (A after B after A: no case could ever start), or when it shares a document kind
no member asks for (the agent would collect a paper nobody needs).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from agent_desk.catalog.rules import Finding, form_findings
from agent_desk.catalog.schema import Bundle, ServiceItem


def bundle_findings(
    bundle: Bundle,
    items: Mapping[str, ServiceItem],
    templates: Path,
    categories: tuple[str, ...] | None,
) -> list[Finding]:
    """Everything wrong with one bundle, each at the YAML location to fix (``categories`` None: the
    catalog's own description is missing, reported on its own)."""
    findings = list(_member_findings(bundle, items))
    if categories is not None and bundle.category not in categories:
        findings.append(
            (("category",), f"类别「{bundle.category}」不在 catalog.yaml 的 categories 中")
        )
    if not findings:
        findings += _cycle_findings(bundle)
    findings += _shared_findings(bundle, items)
    findings += _produced_findings(bundle, items)
    if bundle.form is not None:
        findings += [(("form", *loc), msg) for loc, msg in form_findings(bundle.form, templates)]
    return findings


def _member_findings(bundle: Bundle, items: Mapping[str, ServiceItem]) -> Iterator[Finding]:
    members = bundle.item_codes
    for index, member in enumerate(bundle.members):
        if member.item not in items:
            yield (
                ("members", index, "item"),
                f"事项目录中没有编码为 {member.item} 的事项 (unknown item)",
            )
        elif members.index(member.item) != index:
            yield (("members", index, "item"), f"事项 {member.item} 在本一件事中重复")
        elif not _accepts(items[member.item], bundle.applicant):
            yield (
                ("members", index, "item"),
                f"事项 {member.item} 不受理{_who(bundle.applicant)}的申请，与本一件事的申请人不符",
            )
        for position, before in enumerate(member.after):
            if before not in members:
                yield (
                    ("members", index, "after", position),
                    f"前置事项 {before} 不是本一件事的成员 (unknown item in after)",
                )


def _accepts(item: ServiceItem, applicant: str) -> bool:
    return item.applicant == "both" or item.applicant == applicant


def _who(applicant: str) -> str:
    return {"person": "个人", "organisation": "企业或其他组织"}.get(applicant, "个人和单位")


def _cycle_findings(bundle: Bundle) -> list[Finding]:
    """The first loop in the dependency graph, reported on the member that closes it."""
    graph = {m.item: m.after for m in bundle.members}
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(code: str) -> list[str] | None:
        state[code] = 1
        path.append(code)
        for before in graph.get(code, ()):
            if state.get(before) == 1:
                return [*path[path.index(before) :], before]
            if before not in state and (loop := visit(before)):
                return loop
        state[code] = 2
        path.pop()
        return None

    for code in graph:
        if code not in state and (loop := visit(code)):
            index = bundle.item_codes.index(loop[0])
            chain = " → ".join(reversed(loop))
            return [(("members", index, "after"), f"办理顺序形成循环，没有事项能开始：{chain}")]
    return []


def _shared_findings(bundle: Bundle, items: Mapping[str, ServiceItem]) -> Iterator[Finding]:
    asked = {
        d.doc_kind for code in bundle.item_codes if code in items for d in items[code].documents
    }
    for index, kind in enumerate(bundle.shared_documents):
        if kind not in asked:
            yield (
                ("shared_documents", index),
                f"共享材料 {kind} 没有任何成员事项需要 (no member item asks for it)",
            )


def _produced_findings(bundle: Bundle, items: Mapping[str, ServiceItem]) -> Iterator[Finding]:
    """A produced kind must be a paper another member asks for: else nothing is handed on."""
    for index, member in enumerate(bundle.members):
        others = {
            d.doc_kind
            for code in bundle.item_codes
            if code != member.item and code in items
            for d in items[code].documents
        }
        for position, kind in enumerate(member.produces):
            if kind not in others:
                yield (
                    ("members", index, "produces", position),
                    f"产出材料 {kind} 没有其他成员事项需要 (no other member item asks for it)",
                )


def dependency_order(bundle: Bundle) -> list[str]:
    """Member codes with every item after the ones it waits for (the catalog check refused loops)."""
    done: list[str] = []
    pending = list(bundle.members)
    while pending:
        ready = [m for m in pending if set(m.after) <= set(done)]
        if not ready:
            raise ValueError(f"bundle {bundle.code} has a dependency loop")
        done += [m.item for m in ready]
        pending = [m for m in pending if m not in ready]
    return done
