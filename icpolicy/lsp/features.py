"""The language server's requests: hover, completion, definition, code lenses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types as lsp

from ..yamlsource import parse_text
from . import knowledge as K
from .server import IcpolicyServer, completion_item, line_of, model_for, path_of, uri_of
from .yamlkeys import key_place, value_place


def hover(ls: IcpolicyServer, params: lsp.HoverParams) -> lsp.Hover | None:
    path = path_of(params.text_document.uri)
    line = line_of(ls, path, params.position.line)
    model = model_for(ls, path)
    word = K.word_at(line, params.position.character)
    if word is None:
        return None
    text = K.hover(model, word) if word.prefix or _is_name(model, word) else None
    if text is None:
        text = _key_hover(ls, path, params.position, model) or K.hover(model, word)
    if text is None:
        return None
    where = lsp.Range(lsp.Position(params.position.line, word.start), lsp.Position(params.position.line, word.end))
    return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, text), where)


def _is_name(model: Any, word: K.Word) -> bool:
    if model is None:
        return False
    rules = {r.id for n in model.nodes.values() for r in n.rules}
    return word.text in model.parameters or word.text in model.nodes or word.text in rules


def _key_hover(ls: IcpolicyServer, path: Path, position: lsp.Position, model: Any) -> str | None:
    """A key of a case (in a case document, a boundary base, or a test's case)."""
    parts = _case_path(_key_path_at(ls, path, position))
    return K.field_hover(parts) if parts else None


def _key_path_at(ls: IcpolicyServer, path: Path, position: lsp.Position) -> tuple:
    try:
        doc = parse_text(ls.files.text(path) or "", str(path))
    except Exception:  # noqa: BLE001 - a half-typed document: no key to hover
        return ()
    for key_path, (line, col) in doc.keys.items():
        if line - 1 == position.line and key_path and col - 1 <= position.character < col - 1 + len(str(key_path[-1])):
            return tuple(key_path)
    return ()


def _case_path(key_path: tuple) -> tuple[str, ...]:
    """The case field a YAML key path names: test files hold cases under `case` and
    `base_case`; list indices are dropped."""
    parts = list(key_path)
    if parts and parts[0] == "tests":
        if "case" not in parts:
            return ()
        parts = parts[parts.index("case") + 1 :]
    elif parts and parts[0] == "base_case":
        parts = parts[1:]
    return tuple(p for p in parts if isinstance(p, str))


def complete(ls: IcpolicyServer, params: lsp.CompletionParams) -> lsp.CompletionList:
    path = path_of(params.text_document.uri)
    line = line_of(ls, path, params.position.line)
    model = model_for(ls, path)
    dotted = K.prefix_before(line, params.position.character)
    keys = _key_items(ls, path, params.position, model) if dotted is None else None
    values = _value_items(ls, path, params.position) if dotted is None and keys is None else None
    if keys is not None:
        items = keys
    elif values is not None:
        items = values
    elif dotted is not None:
        items = K.field_items(dotted[0], model)
    elif model is not None:
        items = K.name_items(model)
    else:
        items = K.field_items(())
    return lsp.CompletionList(is_incomplete=False, items=[completion_item(i) for i in items])


def _key_items(ls: IcpolicyServer, path: Path, position: lsp.Position, model: Any) -> list[K.Item] | None:
    """In a case document, a boundary base or a test file: the keys that may be written
    where the cursor is (None when it is not where a key goes)."""
    analysis = ls.analyses.get(path) or ls.files.analyse(path)
    if analysis.kind not in ("case", "base", "tests"):
        return None
    place = key_place((ls.files.text(path) or "").splitlines(), position.line, position.character)
    if place is None:
        return None
    if analysis.kind == "tests":
        items = K.test_key_items(place.path, model)
    else:
        items = K.field_items(place.path)
    if items is None:
        return None
    return [K.as_key(i) for i in items if i.label not in place.present]


def _value_items(ls: IcpolicyServer, path: Path, position: lsp.Position) -> list[K.Item] | None:
    """After `key: ` in a case (or a test's case): the values that field may take, when
    they are few (an enumeration, true/false); None when the cursor is not there."""
    analysis = ls.analyses.get(path) or ls.files.analyse(path)
    if analysis.kind not in ("case", "base", "tests"):
        return None
    place = value_place((ls.files.text(path) or "").splitlines(), position.line, position.character)
    if place is None:
        return None
    parts = K.case_path_in_test_file(place[0]) if analysis.kind == "tests" else place[0]
    return K.value_items(parts) if parts else None


def definition(ls: IcpolicyServer, params: lsp.DefinitionParams) -> lsp.Location | None:
    path = path_of(params.text_document.uri)
    word = K.word_at(line_of(ls, path, params.position.line), params.position.character)
    analysis = ls.analyses.get(path) or ls.files.analyse(path)
    if word is None or analysis.policy is None:
        return None
    span = K.definition_span(analysis.policy, word)
    if span is None:
        return None
    start = lsp.Position(span.line - 1, span.col - 1)
    return lsp.Location(uri_of(Path(span.file).resolve()), lsp.Range(start, start))


def code_lenses(ls: IcpolicyServer, params: lsp.CodeLensParams) -> list[lsp.CodeLens]:
    path = path_of(params.text_document.uri)
    analysis = ls.analyses.get(path) or ls.files.analyse(path)
    out = []
    for line, title in analysis.lenses:
        where = lsp.Range(lsp.Position(line - 1, 0), lsp.Position(line - 1, 0))
        out.append(lsp.CodeLens(where, lsp.Command(title=title, command="")))
    return out
