"""What the editor is told about a name: hover text, completions, where it is defined.

Plain functions over a loaded policy (its current version's model) and the case
schema, so they are tested without a protocol. Names are those of the expression
language: parameters, definitions, decisions, case fields (`procurement.value_nok`),
`project.` fields inside a `for_each: projects` decision, and rule ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..cases.schema import bundled_case_schema, resolve
from ..diagnostics import Span
from ..lang import types as T
from ..values import show

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_RULE_ID = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+")


@dataclass(frozen=True)
class Word:
    """The name under the cursor: `text`, the dotted names before it, and its columns."""

    text: str
    prefix: tuple[str, ...]
    start: int  # 0-based columns on the line
    end: int


@dataclass(frozen=True)
class Item:
    """A completion: a label, what kind of name it is, a one-line detail, documentation."""

    label: str
    kind: str  # field | parameter | definition | decision | key
    detail: str
    doc: str = ""
    insert: str = ""  # the text written when chosen, if not the label


def as_key(item: Item) -> Item:
    """The item as a YAML key: choosing it writes `label: `."""
    return Item(item.label, item.kind, item.detail, item.doc, f"{item.label}: ")


def word_at(line: str, col: int) -> Word | None:
    """The name (or rule id) at 0-based column `col` of `line`, with its dotted prefix."""
    for rx in (_RULE_ID, _WORD):
        for match in rx.finditer(line):
            if match.start() <= col <= match.end() and (match.end() > col or col == len(line) or not line[col].isalnum()):
                return Word(match.group(), _prefix(line, match.start()), match.start(), match.end())
    return None


def _prefix(line: str, start: int) -> tuple[str, ...]:
    parts: list[str] = []
    at = start
    while at > 0 and line[at - 1] == ".":
        match = re.search(r"([A-Za-z_][A-Za-z0-9_]*)$", line[: at - 1])
        if match is None:
            break
        parts.insert(0, match.group(1))
        at = match.start(1)
    return tuple(parts)


def prefix_before(line: str, col: int) -> tuple[tuple[str, ...], str] | None:
    """For completion: the dotted names before the cursor and the part typed so far,
    when the cursor follows `name.` (e.g. `procurement.val|`); None otherwise."""
    match = re.search(r"([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\.([A-Za-z0-9_]*)$", line[:col])
    if match is None:
        return None
    return tuple(match.group(1).split(".")), match.group(2)


# ---- the case schema --------------------------------------------------------------

def _schema_at(parts: tuple[str, ...]) -> dict | None:
    """The (resolved) schema of a case field path; `project` is an item of `projects`."""
    root = bundled_case_schema().document
    schema: dict = root
    for part in parts:
        if part == "project" and schema is root:
            schema = resolve(root["properties"]["projects"]["items"], root)
            continue
        props = resolve(schema, root).get("properties", {})
        if part not in props:
            return None
        schema = resolve(props[part], root)
        if schema.get("type") == "array" and isinstance(schema.get("items"), dict) and part != parts[-1]:
            schema = resolve(schema["items"], root)
    return schema


def _type_at(parts: tuple[str, ...]) -> T.Type | None:
    typ: T.Type | None = bundled_case_schema().types
    for part in parts:
        base = T.strip_optional(typ) if typ is not None else None
        if isinstance(base, T.ListOf):
            base = T.strip_optional(base.item)
        if part == "project" and base is bundled_case_schema().types:
            typ = base.field("projects")
            typ = typ.item if isinstance(typ, T.ListOf) else None
            continue
        typ = base.field(part) if isinstance(base, T.Record) else None
        if typ is None:
            return None
    return typ


def _type_name(typ: T.Type | None, schema: dict | None) -> str:
    base = T.strip_optional(typ) if typ is not None else None
    if isinstance(base, T.Str) and base.values:
        text = " | ".join(f'"{v}"' for v in sorted(base.values))
    elif isinstance(base, T.Record):
        text = "record"
    elif isinstance(base, T.ListOf):
        text = f"list of {T.strip_optional(base.item)}"
    else:
        text = str(base) if base is not None else "?"
    if schema is not None and "default" in schema:
        text += f", default {schema['default']!r}"
    elif isinstance(typ, T.Optional):
        text += ", optional"
    return text


def field_hover(parts: tuple[str, ...]) -> str | None:
    schema = _schema_at(parts)
    if schema is None:
        return None
    typ = _type_at(parts)
    lines = [f"**{'.'.join(parts)}**: {_type_name(typ, schema)}  *(case field)*"]
    if schema.get("description"):
        lines += ["", schema["description"]]
    return "\n".join(lines)


def field_items(parts: tuple[str, ...], model: Any = None) -> list[Item]:
    """The fields of the record at `parts` (and, for `project`, its per-project decisions)."""
    typ = _type_at(parts) if parts else bundled_case_schema().types
    base = T.strip_optional(typ) if typ is not None else None
    if isinstance(base, T.ListOf):
        base = T.strip_optional(base.item)
    if not isinstance(base, T.Record):
        return []
    items = []
    for name, field_type in base.fields:
        schema = _schema_at(parts + (name,)) or {}
        items.append(Item(name, "field", _type_name(field_type, schema), schema.get("description", "")))
    if parts == ("project",) and model is not None:
        for node in model.nodes.values():
            if node.scope == "project":
                items.append(Item(node.name, "decision" if node.output else "definition", str(node.type), node.description or ""))
    return items


def value_items(parts: tuple[str, ...]) -> list[Item]:
    """The values a case field may take, when they are few: an enumeration's, or true/false."""
    typ = _type_at(parts) if parts else None
    base = T.strip_optional(typ) if typ is not None else None
    if isinstance(base, T.Str) and base.values:
        return [Item(v, "value", f"a value of {'.'.join(parts)}") for v in sorted(base.values)]
    if base == T.BOOL:
        return [Item(v, "value", f"a value of {'.'.join(parts)}") for v in ("true", "false")]
    return []


def case_path_in_test_file(path: tuple[str, ...]) -> tuple[str, ...] | None:
    """The case field path of a key path inside a test file's `case` or `base_case`."""
    if "case" in path[:2]:
        return path[path.index("case") + 1 :]
    if path[:1] == ("base_case",):
        return path[1:]
    return None


# ---- the keys of a test file ------------------------------------------------------

_TEST_FILE_KEYS = {
    "description": "what the file tests",
    "base_case": "the case every test's case is merged over",
    "tests": "the tests: each with `name` and `expect` (or `expect_error`)",
}
_ERROR_KEYS = {"code": "the error code, e.g. E-CASE", "message": "a fragment of the message", "field": "the field it is about"}
_EXPECTED_KEYS = {"value": "the value expected", "rules": "the rules expected to decide it, in order"}


def test_key_items(path: tuple[str, ...], model: Any) -> list[Item] | None:
    """The keys that may be written at `path` of a test file (list items leave no
    trace in `path`): the file's and each test's own keys, case fields inside `case`
    and `base_case`, decision names inside `expect`."""
    from ..testing.testfile_errors import TEST_KEYS

    case_path = case_path_in_test_file(path)
    if case_path is not None:
        return field_items(case_path)
    if path == ():
        return [Item(k, "key", v) for k, v in _TEST_FILE_KEYS.items()]
    if path == ("tests",):
        return [Item(k, "key", "a test's key") for k in TEST_KEYS]
    if path == ("tests", "expect_error"):
        return [Item(k, "key", v) for k, v in _ERROR_KEYS.items()]
    if path[:2] != ("tests", "expect") or model is None:
        return None
    rest = path[2:]
    if rest == ():
        return _decision_items(model, "case") + [Item("projects", "key", "expected decisions of each project, by project id")]
    if len(rest) == 2 and rest[0] == "projects":
        return _decision_items(model, "project")
    if (len(rest) == 1 and rest[0] != "projects") or (len(rest) == 3 and rest[0] == "projects"):
        return [Item(k, "key", v) for k, v in _EXPECTED_KEYS.items()]
    return None


def _decision_items(model: Any, scope: str) -> list[Item]:
    return [Item(n.name, "decision", str(n.type), n.description or "") for n in model.decisions() if n.scope == scope]


# ---- the policy's names -----------------------------------------------------------

def name_items(model: Any) -> list[Item]:
    """Parameters, definitions, decisions and the top-level case fields."""
    items = [Item(p.name, "parameter", f"= {p.expr.text}", p.description or "") for p in model.parameters.values()]
    for node in model.nodes.values():
        if node.scope == "case":
            items.append(Item(node.name, "decision" if node.output else "definition", str(node.type), node.description or ""))
    return items + field_items(())


def hover(model: Any, word: Word) -> str | None:
    """Markdown for the name under the cursor, or None when it is no known name."""
    if word.prefix:
        parts = word.prefix + (word.text,)
        if model is not None and word.prefix == ("project",) and word.text in model.nodes:
            return _node_hover(model, model.nodes[word.text])
        return field_hover(parts)
    if model is not None:
        if word.text in model.parameters:
            return parameter_hover(model.parameters[word.text])
        if word.text in model.nodes:
            return _node_hover(model, model.nodes[word.text])
        for node in model.nodes.values():
            for rule in node.rules:
                if rule.id == word.text:
                    return _rule_hover(node, rule)
    return field_hover((word.text,))


def parameter_hover(param: Any) -> str:
    shown = show(param.value, param.type)
    value = param.expr.text if param.expr.text.strip() == shown else f"{param.expr.text} ({shown})"
    lines = [f"**{param.name}** = {value}" + (f", unit {param.unit}" if param.unit else "") + "  *(parameter)*"]
    if param.description:
        lines += ["", param.description]
    lines += ["", *_source_lines(param.source)]
    return "\n".join(lines)


def _source_lines(source: Any) -> list[str]:
    if source is None:
        return []
    where = ", ".join(x for x in (source.title or source.ref, source.section) if x)
    out = [f"> «{' '.join(source.quote.split())}»", ">", f"> — {where}"]
    if source.interpretation:
        out += ["", f"Read as: {' '.join(source.interpretation.split())}"]
    return out


def _node_hover(model: Any, node: Any) -> str:
    kind = "decision" if node.output else "definition"
    scope = ", for each project" if node.scope == "project" else ""
    lines = [f"**{node.name}**: {node.type}  *({kind}{scope})*"]
    if node.description:
        lines += ["", node.description]
    if node.value is not None:
        lines += ["", f"`{' '.join(node.value.text.split())}`"]
    if node.rules:
        lines += ["", "Rules, in order:"]
        for rule in node.rules:
            when = f"when `{' '.join(rule.when.text.split())}`" if rule.when is not None else "always"
            lines.append(f"- **{rule.id}**: {' '.join(rule.value.text.split())} {when}")
        if node.default is not None:
            lines.append(f"- otherwise: {node.default.text}")
    if node.source is not None:
        lines += ["", *_source_lines(node.source)]
    return "\n".join(lines)


def _rule_hover(node: Any, rule: Any) -> str:
    when = f"when `{' '.join(rule.when.text.split())}`" if rule.when is not None else "always"
    lines = [f"**{rule.id}**, a rule of **{node.name}**: {' '.join(rule.value.text.split())} {when}"]
    if rule.overrides:
        lines.append(f"overrides {rule.overrides if rule.overrides == 'all' else ', '.join(rule.overrides)}")
    return "\n".join(lines + ["", *_source_lines(rule.source)])


def definition_path(model: Any, word: Word) -> tuple | None:
    """The YAML path (in the policy) where the name under the cursor is defined."""
    if model is None or (word.prefix and word.prefix != ("project",)):
        return None
    if word.text in model.parameters:
        return ("parameters", word.text)
    if word.text in model.nodes:
        return model.nodes[word.text].path
    for node in model.nodes.values():
        for rule in node.rules:
            if rule.id == word.text:
                return rule.path + ("id",)
    return None


def definition_span(policy: Any, word: Word) -> Span | None:
    """Where the name is defined in the policy's files (the version that defines it last)."""
    for version in reversed(policy.versions):
        path = definition_path(version.model, word)
        if path is not None:
            doc = version.doc
            owner = doc.source_for(path) if hasattr(doc, "source_for") else doc
            return owner.span(path, key=path[-1] != "id")
    return None
