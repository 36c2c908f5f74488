"""Reading YAML and JSON documents safely, with the position of every value.

Input: a document's text and the name to report it under. Output: a `Document`
holding plain Python data (dicts, lists, str, int, Decimal, bool, None) and the
line/column of each value and key, so every later stage can point at the file.

Why our own reader: YAML 1.1 (PyYAML's default) reads `country: NO` as false and
`0.8000001` as a binary float; policies and cases need YAML 1.2's core schema,
exact decimals, duplicate keys rejected (naming both lines) and no aliases, which
could otherwise expand into an exponentially large document.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from .diagnostics import Diagnostic, IcpolicyError, Span
from .quoting import quoted
from .sourcefile import read_text
from .yamlmessages import explain as explain_yaml_error

Path = tuple  # of str (mapping keys) and int (list indexes)

MAX_DEPTH = 64

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _CoreSchemaLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """PyYAML's loader with YAML 1.2 core-schema resolution of plain scalars."""


_CoreSchemaLoader.yaml_implicit_resolvers = {}
_RESOLVERS = [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", list("~nN\0") + [""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:[0-9][0-9_]*|0o[0-7_]+|0x[0-9a-fA-F_]+)$", list("-+0123456789")),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+.0123456789"),
    ),
]
for _tag, _pattern, _first in _RESOLVERS:
    _CoreSchemaLoader.add_implicit_resolver(_tag, re.compile(_pattern), _first)


@dataclass
class ScalarPlace:
    """Where a string scalar's text sits in the file, to place carets inside it."""

    start: int  # character index of the scalar's first character (quotes included)
    end: int
    style: str | None
    line: int  # 1-based
    col: int


@dataclass
class Document:
    name: str
    text: str
    data: Any  # plain data: dict, list, str, int, Decimal, bool or None
    values: dict = field(default_factory=dict)  # Path -> (line, col) of the value
    keys: dict = field(default_factory=dict)  # Path -> (line, col) of the mapping key
    scalars: dict = field(default_factory=dict)  # Path -> ScalarPlace of string values
    # For JSON, positions are found only when an error needs one.
    find_positions: Callable[[Document], None] | None = None

    def span(self, path: Path, key: bool = False) -> Span:
        """The span of the value (or key) at `path`, or of its nearest known ancestor."""
        if self.find_positions is not None:
            find, self.find_positions = self.find_positions, None
            find(self)
        path = tuple(path)
        while True:
            table = self.keys if key and path in self.keys else self.values
            if path in table:
                line, col = table[path]
                return Span(self.name, line, col)
            if not path:
                return Span(self.name, 1, 1)
            path = path[:-1]


def format_path(path: Path) -> str:
    """`projects[0].value_nok`; a very long key is cut (it is shown in messages)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        text = str(part) if len(str(part)) <= 60 else quoted(str(part))
        out += f".{text}" if out else text
    return out


def _fail(name: str, message: str, line: int = 1, col: int = 1, code: str = "E-YAML", help=None):
    raise IcpolicyError(Diagnostic(code, message, Span(name, line, col), help=help))


class _Builder:
    """Turns composed YAML nodes into plain data, recording positions on the way."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.seen: set[int] = set()

    def build(self, node, path: Path, depth: int):
        mark = node.start_mark
        where = (mark.line + 1, mark.column + 1)
        if id(node) in self.seen:
            _fail(self.doc.name, "YAML aliases (*name) are not allowed; write the value out", *_alias_place(self.doc.text, where))
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            _fail(self.doc.name, f"the document is nested more than {MAX_DEPTH} levels deep", *where)
        self.doc.values[path] = where
        if isinstance(node, yaml.MappingNode):
            if node.tag != "tag:yaml.org,2002:map":
                _fail(self.doc.name, f"unsupported YAML tag {node.tag}", *where)
            out: dict = {}
            for key_node, value_node in node.value:
                kmark = key_node.start_mark
                kwhere = (kmark.line + 1, kmark.column + 1)
                if key_node.tag == "tag:yaml.org,2002:merge":
                    _fail(self.doc.name, "YAML merge keys (<<) are not allowed", *kwhere)
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                    _fail(self.doc.name, f"mapping keys must be strings, got {_node_kind(key_node)}", *kwhere)
                key = key_node.value
                if key in out:
                    first = self.doc.keys[path + (key,)][0]
                    _fail(
                        self.doc.name,
                        f"duplicate key '{key}' (first at line {first}, again at line {kwhere[0]})",
                        *kwhere,
                        code="E-DUPLICATE-KEY",
                    )
                self.doc.keys[path + (key,)] = kwhere
                out[key] = self.build(value_node, path + (key,), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                _fail(self.doc.name, f"unsupported YAML tag {node.tag}", *where)
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node, path, where)

    def scalar(self, node, path: Path, where):
        tag, text = node.tag, node.value
        if tag == "tag:yaml.org,2002:str":
            self.doc.scalars[path] = ScalarPlace(
                node.start_mark.index, node.end_mark.index, node.style, *where
            )
            return text
        if tag == "tag:yaml.org,2002:null":
            if text not in ("", "~", "null", "Null", "NULL"):
                _fail(self.doc.name, f"{text!r} is not null", *where)
            return None
        if tag == "tag:yaml.org,2002:bool":
            if text.lower() not in ("true", "false"):
                _fail(self.doc.name, f"{text!r} is not true or false", *where)
            return text.lower() == "true"
        if tag == "tag:yaml.org,2002:int":
            digits = text.replace("_", "")
            sign = -1 if digits.startswith("-") else 1
            digits = digits.lstrip("+-")
            if len(digits) > 4000:  # as in JSON (int() stops at 4300, with a message about Python)
                _fail(self.doc.name, f"a number with {len(digits)} digits is too large", *where)
            try:
                if digits.startswith("0x"):
                    return sign * int(digits[2:], 16)
                if digits.startswith("0o"):
                    return sign * int(digits[2:], 8)
                return sign * int(digits)
            except ValueError:
                _fail(self.doc.name, f"{quoted(text)} is not a whole number", *where)
        if tag == "tag:yaml.org,2002:float":
            try:
                value = Decimal(text.replace("_", ""))
            except InvalidOperation:
                value = None
            if value is None or not value.is_finite():
                _fail(self.doc.name, f"{text!r} is not a finite number", *where)
            return value
        _fail(self.doc.name, f"unsupported YAML tag {tag} (only plain data is allowed)", *where)


def _node_kind(node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return quoted(node.value) if node.tag == "tag:yaml.org,2002:str" else str(node.value)[:60]


_SURROGATE = re.compile("[\ud800-\udfff]")


def _place(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of the character at `index`."""
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def _control_character(exc: yaml.reader.ReaderError, text: str):
    """Where a character YAML does not allow is (PyYAML only gives its index), and a message."""
    index = exc.position if isinstance(exc.position, int) and 0 <= exc.position <= len(text) else 0
    line, col = _place(text, index)
    code = exc.character if isinstance(exc.character, int) else ord(text[index]) if index < len(text) else 0
    name = _CONTROL_NAMES.get(code)
    shown = f"U+{code:04X}" + (f" ({name})" if name else "")
    escape = f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}"
    return f"the character {shown} is not allowed in YAML: remove it, or write it as {escape} in a double-quoted string", line, col


_CONTROL_NAMES = {0: "NUL", 7: "BEL", 8: "BS", 0x0B: "VT", 0x0C: "FF", 0x1B: "ESC", 0x7F: "DEL", 0xFFFE: "not a character", 0xFFFF: "not a character"}


def _alias_place(text: str, fallback):
    """Where the first alias is written (the composed node only knows its anchor)."""
    try:
        for event in yaml.parse(text, Loader=_CoreSchemaLoader):
            if isinstance(event, yaml.AliasEvent) and event.start_mark is not None:
                return event.start_mark.line + 1, event.start_mark.column + 1
    except yaml.YAMLError:
        pass
    return fallback


class _PureCoreSchemaLoader(yaml.SafeLoader):
    """The same reading in pure Python: slower, but deep nesting raises RecursionError
    where PyYAML's C composer recurses without a limit and can crash the process."""


_PureCoreSchemaLoader.yaml_implicit_resolvers = dict(_CoreSchemaLoader.yaml_implicit_resolvers)


def _may_be_deep(text: str) -> bool:
    """A cheap over-estimate of nesting: every bracket counts, quoted or not."""
    brackets = _NOT_A_BRACKET.sub("", text)  # in C: the loop below sees brackets only
    depth = deepest = 0
    for ch in brackets:
        if ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
        else:
            depth -= 1
    if deepest > MAX_DEPTH:
        return True
    return any(len(line) - len(line.lstrip(" -")) > 2 * MAX_DEPTH for line in text.split("\n"))


_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")


@contextmanager
def _no_cycle_collection():
    """Pause Python's cycle collector while a document is built: its trees hold no
    cycles, and with 100 000 items the collector's repeated passes over the growing
    heap cost more than the reading itself (they made it grow faster than the size)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_yaml(text: str, name: str) -> Document:
    """Parse one YAML document into data with positions; errors name file:line:col."""
    with _no_cycle_collection():
        return _parse_yaml(text, name)


def _parse_yaml(text: str, name: str) -> Document:
    doc = Document(name, text, None)
    surrogate = _SURROGATE.search(text)  # only from Python: files are decoded strictly
    if surrogate is not None:
        line, col = _place(text, surrogate.start())
        _fail(name, f"the character U+{ord(surrogate.group()):04X} (a lone surrogate) is not text", line, col, code="E-YAML-SYNTAX")
    try:
        loader = (_PureCoreSchemaLoader if _may_be_deep(text) else _CoreSchemaLoader)(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as exc:
        message, line, col = _control_character(exc, text)
        _fail(name, message, line, col, code="E-YAML-SYNTAX")
    except yaml.MarkedYAMLError as exc:
        message, help, line, col = explain_yaml_error(exc, text)
        _fail(name, message, line, col, code="E-YAML-SYNTAX", help=help)
    except yaml.YAMLError as exc:
        _fail(name, f"invalid YAML: {exc}", code="E-YAML-SYNTAX")
    except RecursionError:
        _fail(name, f"the document is nested more than {MAX_DEPTH} levels deep")
    if node is None:
        doc.data = None
        return doc
    doc.data = _Builder(doc).build(node, (), 0)
    return doc


def _reject_constant(text: str):
    raise ValueError(f"{text} is not a number allowed here")


def _json_int(text: str) -> int:
    if len(text) > 4000:  # int() refuses more than 4300 digits, with a message about Python
        raise ValueError(f"a number with {len(text)} digits is too large")
    return int(text)


def _long_number_place(text: str) -> tuple[int, int]:
    found = re.search(r"-?[0-9]{4001,}", text)
    if found is None:
        return 1, 1
    return _place(text, found.start())


def _pairs_without_duplicates(pairs):
    out = dict(pairs)
    if len(out) == len(pairs):
        return out
    seen = set()  # (only when a key repeats: find the first that does)
    for key, _ in pairs:
        if key in seen:
            raise ValueError(f"duplicate key '{key}'")
        seen.add(key)
    return out


# One decoder for every document (json.loads with these options builds one per call).
_JSON_DECODER = json.JSONDecoder(
    parse_float=Decimal,
    parse_int=_json_int,
    parse_constant=_reject_constant,
    object_pairs_hook=_pairs_without_duplicates,
)


def parse_json(text: str, name: str, line_offset: int = 0) -> Document:
    """Parse JSON with exact decimals; positions come from reading it as YAML when possible."""
    with _no_cycle_collection():
        return _parse_json(text, name, line_offset)


def _parse_json(text: str, name: str, line_offset: int) -> Document:
    try:
        if text.startswith("\ufeff"):  # (what json.loads says; the decoder itself does not check)
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        data = _JSON_DECODER.decode(text)
    except json.JSONDecodeError as exc:
        _fail(name, f"invalid JSON: {exc.msg}", exc.lineno + line_offset, exc.colno, code="E-JSON-SYNTAX")
    except ValueError as exc:
        if "duplicate key" in str(exc):
            try:
                parse_yaml(text, name)  # reports the repeated key where it is written
            except IcpolicyError as found:
                if found.diagnostics[0].code == "E-DUPLICATE-KEY":
                    raise
        line, col = _long_number_place(text) if "digits is too large" in str(exc) else (1, 1)
        _fail(name, f"invalid JSON: {exc}", line + line_offset, col, code="E-JSON-SYNTAX")
    except RecursionError:
        _fail(name, "the document is nested too deeply", 1 + line_offset, 1)
    doc = Document(name, text, data)
    doc.find_positions = lambda d: _add_positions_from_yaml(d, line_offset)
    return doc


def _add_positions_from_yaml(doc: Document, line_offset: int) -> None:
    # JSON is (nearly) YAML 1.2, so the YAML reader finds each value's line and column.
    try:
        shadow = parse_yaml(doc.text, doc.name)
    except IcpolicyError:
        doc.values = {(): (1 + line_offset, 1)}
        return
    doc.values = {p: (line + line_offset, col) for p, (line, col) in shadow.values.items()}
    doc.keys = {p: (line + line_offset, col) for p, (line, col) in shadow.keys.items()}


def parse_text(text: str, name: str) -> Document:
    """Parse by the file name's suffix: `.json` as JSON, anything else as YAML."""
    if name.lower().endswith(".json"):
        return parse_json(text, name)
    return parse_yaml(text, name)


def read_file(path: str, display_name: str | None = None) -> Document:
    """Read and parse a regular file of at most 64 MiB (`sourcefile`); E-IO otherwise."""
    name = display_name or path
    return parse_text(read_text(path, name), name)


# Where an expression's line:col falls in its YAML scalar (kept in its own module).
from .exprspan import expression_span  # noqa: E402

__all__ = ["Document", "ScalarPlace", "expression_span", "format_path", "parse_json", "parse_text", "parse_yaml",
           "read_file"]
