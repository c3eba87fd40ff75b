"""Read YAML safely, keeping the position of every node for diagnostics.

Scalars stay the text that was written: the schema, not the YAML 1.1
resolver, decides what is a number or a date, so ``no`` never becomes
``False`` and ``2017-02-30`` never becomes a crash deep in the parser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Diagnostic

YamlValue: TypeAlias = "str | list[YamlValue] | dict[str, YamlValue] | None"
NodePath = tuple[str | int, ...]

# libyaml parses an order of magnitude faster; both expose the same marks.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}

_QUOTED = ("'", '"', "|", ">")

MAX_FILE_BYTES = 2 * 1024 * 1024
# Fact files nest five or six levels deep; anything far deeper is a mistake
# or an attack, and unbounded nesting exhausts the parser's recursion.
MAX_DEPTH = 32


@dataclass
class Document:
    """A parsed YAML file: plain data plus where each part of it was written."""

    path: str
    data: YamlValue
    value_marks: dict[NodePath, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[NodePath, tuple[int, int]] = field(default_factory=dict)

    def mark(self, node_path: NodePath, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the node at ``node_path``, or of its nearest ancestor."""
        if key and node_path in self.key_marks:
            return self.key_marks[node_path]
        for end in range(len(node_path), -1, -1):
            found = self.value_marks.get(node_path[:end])
            if found is not None:
                return found
        return (1, 1)


class _Refused(Exception):
    def __init__(self, node: Node, code: str, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.node = node
        self.code = code
        self.message = message
        self.hint = hint


def parse(path: str, text: str) -> Document | Diagnostic:
    """Parse one YAML document; return it, or the first problem that stops parsing."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        return Diagnostic(
            path, 0, 0, "file-too-large",
            f"fact file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB",
            "split the facts over several files in the sheet's folder",
        )
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        return _syntax_diagnostic(path, text, exc)
    except yaml.reader.ReaderError as exc:
        return _reader_diagnostic(path, text, exc)
    except yaml.YAMLError as exc:
        return Diagnostic(path, 1, 1, "yaml-syntax", str(exc).splitlines()[0])
    except RecursionError:
        return _too_deep(path, text)
    doc = Document(path, None)
    if root is None:
        return doc
    try:
        doc.data = _convert(root, (), doc, set())
    except _Refused as exc:
        line, col = _position(exc.node)
        return Diagnostic(path, line, col, exc.code, exc.message, exc.hint)
    return doc


def _position(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


_NESTING = (f"lists and mappings are nested more than {MAX_DEPTH} deep",
            "fact files need only a few levels: a section, its items, their fields")


def _nesting_diagnostic(path: str, line: int, col: int) -> Diagnostic:
    return Diagnostic(path, line, col, "yaml-nesting", *_NESTING)


def _too_deep(path: str, text: str) -> Diagnostic:
    """Where nesting first passes the limit, found with the parser's flat event stream (no recursion)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                mark = event.start_mark
                if depth > MAX_DEPTH and mark is not None:
                    return _nesting_diagnostic(path, mark.line + 1, mark.column + 1)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass  # the nesting is the problem reported; a syntax error after it shows once that is fixed
    return _nesting_diagnostic(path, 1, 1)


def _reader_diagnostic(path: str, text: str, exc: yaml.reader.ReaderError) -> Diagnostic:
    # The reader reports a character index, not a line: count the lines to it.
    before = text[:exc.position]
    line = before.count("\n") + 1
    col = exc.position - (before.rfind("\n") + 1) + 1
    character = exc.character if isinstance(exc.character, str) else chr(exc.character)
    return Diagnostic(path, line, col, "yaml-character", f"character U+{ord(character):04X} is not allowed in YAML",
                      "delete it; invisible characters often come from copying text out of a PDF or a web page")


def _syntax_diagnostic(path: str, text: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    if mark is not None and text[mark.index:mark.index + 1] == "\t":
        return Diagnostic(path, line, col, "yaml-tab", "tab character used for indentation",
                          "indent with spaces; YAML does not allow tabs")
    message = problem if not exc.context else f"{problem} ({exc.context})"
    return Diagnostic(path, line, col, "yaml-syntax", message)


def _convert(node: Node, node_path: NodePath, doc: Document, seen: set[int]) -> YamlValue:
    # The composer resolves an alias to the very node object it names, so a
    # node met twice is an alias. Refusing aliases bounds work and memory
    # against "billion laughs" documents; fact files have no use for them.
    if id(node) in seen:
        raise _Refused(node, "yaml-alias", "YAML anchors and aliases are not allowed in fact files",
                       "this node is used again through an alias; write the value out in full")
    seen.add(id(node))
    if len(node_path) > MAX_DEPTH:
        raise _Refused(node, "yaml-nesting", *_NESTING)
    if node.tag not in _ALLOWED_TAGS:
        raise _Refused(node, "yaml-tag", f"YAML tag {node.tag!r} is not allowed",
                       "remove the tag; fact files hold plain text, lists and mappings")
    doc.value_marks[node_path] = _position(node)
    if isinstance(node, ScalarNode):
        if node.tag == _CORE + "null" and node.style not in _QUOTED:
            return None
        return str(node.value)
    if isinstance(node, SequenceNode):
        return [_convert(item, (*node_path, i), doc, seen) for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        result: dict[str, YamlValue] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _ALLOWED_TAGS:
                raise _Refused(key_node, "yaml-key", "mapping keys must be plain words")
            key = str(key_node.value)
            if key in result:
                first = doc.key_marks[(*node_path, key)]
                raise _Refused(key_node, "duplicate-key", f"duplicate key {key!r}",
                               f"first written at line {first[0]}, column {first[1]}")
            doc.key_marks[(*node_path, key)] = _position(key_node)
            result[key] = _convert(value_node, (*node_path, key), doc, seen)
        return result
    raise _Refused(node, "yaml-syntax", "unsupported YAML node")  # pragma: no cover - exhaustive
