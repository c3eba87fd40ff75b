"""Read YAML safely, keeping the position of every node for diagnostics.

Scalars stay the text that was written: the schema, not the YAML 1.1
resolver, decides what is a number or a date, so ``no`` never becomes
``False`` and ``2017-02-30`` never becomes a crash deep in the parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TypeAlias

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Diagnostic

YamlValue: TypeAlias = "str | list[YamlValue] | dict[str, YamlValue] | None"
NodePath = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
# What YAML 1.1 reads a plain scalar as, besides text: null (as the schema may mean),
# and the merge key and value indicator (refused, as their tags are not allowed).
_PLAIN_TAGS = {**dict.fromkeys(("", "~", "null", "Null", "NULL"), "null"), "<<": "merge", "=": "value"}


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # libyaml's is untyped
    """libyaml's safe loader (an order of magnitude faster; the same marks), minus implicit typing.

    Scalars stay text (the schema decides), so of the YAML 1.1 resolver only
    null and the two refused indicators matter: skipping its regular
    expressions per scalar halves parsing.
    """

    def resolve(self, kind: type[Node], value: str | None, implicit: tuple[bool, bool]) -> str:
        """The tag of a node written without one: null or text for a scalar, else a list or mapping."""
        if kind is ScalarNode:
            return _CORE + (_PLAIN_TAGS.get(value or "", "str") if implicit[0] else "str")
        return _CORE + ("seq" if kind is SequenceNode else "map")

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
    # Mistakes that YAML parses without a word (a comment cutting a quote).
    problems: list[Diagnostic] = field(default_factory=list)

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
            path, 1, 1, "file-too-large",
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
    doc.problems = _comments_in_text(path, text, root)
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
    if exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
        # The parser stops where it gave up, often at the end of the file; the slip is where the quote opens.
        opened = exc.context_mark
        return Diagnostic(path, opened.line + 1, opened.column + 1, "yaml-unclosed-quote",
                          "this quotation mark opens text that is never closed",
                          "close it with the same mark, or write the text as a folded block: `quote: >-`, then "
                          "the text on the next line, indented further")
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    if mark is not None and text[mark.index:mark.index + 1] == "\t":
        return Diagnostic(path, line, col, "yaml-tab", "tab character used for indentation",
                          "indent with spaces; YAML does not allow tabs")
    lines = _lines(text)
    if mark is not None and mark.line < len(lines):
        mistake = _quoting_mistake(lines[mark.line], line, mark.column, problem)
        if mistake is not None:
            return Diagnostic(path, line, col, *mistake)
    message = problem if not exc.context else f"{problem} ({exc.context})"
    return Diagnostic(path, line, col, "yaml-syntax", message)


# The commonest ways text breaks YAML, found from the parser's problem and the
# line it stopped on; each gets a hint with the same line as a folded block.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_KEY_VALUE = re.compile(r"^\s*(?:-\s+)*(?:(?P<key>[^\s#'\"\[\]{}:,?|>&*!%@`-][^:#]*?):[ \t]+)?(?P<value>\S.*)$")
# A comment after a plain scalar: a space (or tab), then "#".
_COMMENT_AFTER = re.compile(r"[ \t]+#")
# Fields holding verbatim words, where a comment cutting the text changes what is claimed.
_VERBATIM_KEYS = ("quote", "text")
# Codes of mistakes found in a file that was parsed: its items are read and checked as usual.
PARSED_WITH = frozenset({"yaml-comment-in-text"})


def _lines(text: str) -> list[str]:
    """The lines of ``text`` as YAML counts them."""
    return _LINE_BREAK.split(text)


def _folded(key: str | None, value: str, line: int) -> str:
    head = f"{key}: >-" if key else "- >-"
    return (f"write line {line} as a folded block: `{head}`, then on the next line, indented further, `{value}`; "
            "in a block, ': ', ' #' and quotation marks are plain text")


def _quoting_mistake(line: str, number: int, column: int, problem: str) -> tuple[str, str, str] | None:
    """Code, message and hint when the parser stopped on text that needs a folded block; else ``None``.

    ``line`` is the text of line ``number``, where the parser stopped at ``column`` (0-based).
    """
    found = _KEY_VALUE.match(line)
    if found is None:
        return None
    key, value, start = found.group("key"), found.group("value"), found.start("value")
    if problem.startswith("mapping values are not allowed") and key is not None and column > start \
            and line[column:column + 1] == ":" and value[0] not in "'\"[{|>&*!%@`":
        return ("yaml-colon-in-text", f"the text of {key!r} holds ': ', which YAML reads as the start of a key",
                _folded(key, value, number))
    if problem.startswith(("did not find expected", "expected <block end>")) and value[0] in "'\"":
        closing = _closing_quote(value)
        if closing is not None and column >= start + closing + 1 and value[closing + 1:].strip() \
                and not value[closing + 1:].lstrip().startswith("#"):
            what = f"the text of {key!r}" if key else "the item"
            quoted = value[1:closing].replace("''", "'") if value[0] == "'" else \
                value[1:closing].replace('\\"', '"').replace("\\\\", "\\")
            return ("yaml-text-after-quote", f"{what} starts with a quotation mark and goes on after the closing one: "
                    "YAML reads the quotation marks as its own and cannot read the rest",
                    _folded(key, f"{value[0]}{quoted}{value[closing:]}", number))
    return None


def _closing_quote(value: str) -> int | None:
    """Index of the quotation mark that closes the one ``value`` starts with, if the line holds it."""
    mark, index = value[0], 1
    while index < len(value):
        if mark == '"' and value[index] == "\\":
            index += 2
            continue
        if value[index] == mark:
            if mark == "'" and value[index + 1:index + 2] == "'":
                index += 2  # '' is a quotation mark inside single quotes
                continue
            return index
        index += 1
    return None


def _comments_in_text(path: str, text: str, root: Node) -> list[Diagnostic]:
    """Errors for ``quote:`` or ``text:`` written plain and followed by `` #``: YAML cut the text there."""
    problems: list[Diagnostic] = []
    lines: list[str] | None = None
    stack = [root]
    while stack:  # the tree is already known to be at most MAX_DEPTH deep and free of aliases
        node = stack.pop()
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.append(value)
                if not (isinstance(value, ScalarNode) and value.style in (None, "") and value.value
                        and isinstance(key, ScalarNode) and key.value in _VERBATIM_KEYS):
                    continue
                lines = lines if lines is not None else _lines(text)
                end = value.end_mark
                rest = lines[end.line][end.column:] if end.line < len(lines) else ""
                comment = _COMMENT_AFTER.match(rest)
                if comment is not None:
                    problems.append(Diagnostic(
                        path, end.line + 1, end.column + comment.end(), "yaml-comment-in-text",
                        f"the text of {key.value!r} stops before ' #': YAML reads the rest of the line as a comment",
                        _folded(key.value, f"{value.value}{rest}", key.start_mark.line + 1)
                        + "; or, if it is a comment, put it on a line of its own"))
    return sorted(problems)


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
