"""The YAML of a fact sheet as a tree of nodes that know their line and column.

``parse_yaml`` turns a sheet's text into ``Y`` nodes; YAML syntax errors become
``SyntaxProblem`` with the line and column, and a key given twice in one entry is
an error (YAML would silently keep only the last). Keys are compared by
``sheet_key``: lower case, with "_" and "-" read as spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from cskg.errors import InputError, SyntaxProblem


@dataclass
class Y:
    """A YAML node: its value (dict of Y, list of Y, or a scalar), where it starts, its text."""

    value: Any
    line: int
    col: int
    text: str | None = None
    keys: dict[str, tuple[str, int]] = field(default_factory=dict)

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)

    @property
    def is_scalar(self) -> bool:
        return not self.is_map and not self.is_list

    @property
    def is_null(self) -> bool:
        return self.value is None and self.is_scalar


def describe(node: Y) -> str:
    """What a node is, for an error saying it is not what was expected."""
    if node.is_list:
        return "a list"
    if node.is_map:
        return "a mapping"
    return f"{node.text!r}"


def sheet_key(text: str) -> str:
    """How sheet keys are compared: lower case, '_' and '-' as spaces, single spaces."""
    return re.sub(r"[\s_-]+", " ", text.strip().lower())


def parse_yaml(text: str, display: str) -> Y:
    """The sheet's text as a tree of ``Y`` nodes; errors name ``display`` and the line."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError(f"{display}: the fact sheet is empty", "start it with a source: block")
        return _tree(loader, node, display)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "YAML syntax error"
        if error.context and error.problem:
            problem = f"{problem} ({error.context})"
        raise SyntaxProblem(
            display, mark.line + 1 if mark else None, mark.column + 1 if mark else None, problem
        ) from None
    except yaml.YAMLError as error:
        raise InputError(f"{display}: not YAML: {error}") from None
    finally:
        loader.dispose()


def _tree(loader: yaml.SafeLoader, node: yaml.Node, display: str) -> Y:
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, yaml.MappingNode):
        return _mapping(loader, node, display)
    if isinstance(node, yaml.SequenceNode):
        return Y([_tree(loader, item, display) for item in node.value], line, col)
    try:
        value = loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError):
        value = node.value  # e.g. 2018-02-30: not a date, kept as text to be reported
    if node.tag == "tag:yaml.org,2002:null" or value is None:
        return Y(None, line, col, text=None)
    return Y(value, line, col, text=str(node.value))


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, display: str) -> Y:
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    loader.flatten_mapping(node)
    values: dict[str, Y] = {}
    keys: dict[str, tuple[str, int]] = {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            raise InputError(f"{display}:{key_line}: a key must be a plain word or phrase")
        raw = str(key_node.value)
        key = sheet_key(raw)
        if key in values:
            raise InputError(
                f"{display}:{key_line}: the key {raw!r} is given twice in one entry "
                f"(first on line {keys[key][1]})",
                "YAML keeps only the last one; merge the two or start a new list entry with '- '",
            )
        values[key] = _tree(loader, value_node, display)
        keys[key] = (raw, key_line)
    return Y(values, line, col, keys=keys)
