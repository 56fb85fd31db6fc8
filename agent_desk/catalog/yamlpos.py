"""YAML with positions: errors in hand-written catalog files must name the line to fix.

PyYAML's composed node tree keeps a start mark per node; we walk it along a pydantic error
location (``('forms', 0, 'fields', 'name', 'path')``) to find the line of the deepest node that
exists. PyYAML also keeps the last of two equal keys silently, so duplicates are found here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

Loc = Sequence[int | str]


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML file: the plain data and the node tree that remembers positions."""

    data: Any
    node: yaml.Node | None

    def line_of(self, loc: Loc) -> int:
        """1-based line of the deepest node on ``loc``; 1 when the file is empty."""
        node = self.node
        if node is None:
            return 1
        for key in loc:
            child = _child(node, key)
            if child is None:
                continue  # a union tag or a missing key: stay on the closest existing node
            node = child
        return node.start_mark.line + 1

    def key_line(self, loc: Loc) -> int:
        """Line of the key itself (not its value), for 'this entry' messages."""
        if not loc or self.node is None:
            return self.line_of(loc)
        parent = self.line_of(loc[:-1])
        node = _walk(self.node, loc[:-1])
        if isinstance(node, yaml.MappingNode):
            for key_node, _value in node.value:
                if key_node.value == str(loc[-1]):
                    return key_node.start_mark.line + 1
        return parent


def parse_yaml(text: str) -> YamlDoc:
    """Parse one document with the safe loader; raises yaml.YAMLError (it has a problem_mark)."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return YamlDoc(data, node)


def error_line(exc: yaml.YAMLError) -> int:
    """Line of a YAML syntax error, 1 when PyYAML did not say."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else 1


def duplicate_keys(doc: YamlDoc) -> Iterator[tuple[int, str]]:
    """(line, key) of every key that repeats an earlier key of the same mapping."""
    if doc.node is not None:
        yield from _duplicates(doc.node)


def _duplicates(node: yaml.Node) -> Iterator[tuple[int, str]]:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value in node.value:
            key = str(key_node.value)
            if key in seen:
                yield key_node.start_mark.line + 1, key
            seen.add(key)
            yield from _duplicates(value)
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            yield from _duplicates(child)


def _walk(node: yaml.Node, loc: Loc) -> yaml.Node:
    for key in loc:
        node = _child(node, key) or node
    return node


def _child(node: yaml.Node, key: int | str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if key_node.value == str(key):
                return value
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
        return node.value[key]
    return None
