"""The language server through the protocol: a real `python -m icpolicy lsp` subprocess
spoken to over stdio by pygls's client, on a copy of the checkout."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")
from lsprotocol import types as lsp  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402
from pygls.uris import from_fs_path  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
TYPO_FROM = "procurement.channel == \"direct\" and procurement.value_nok > ica_threshold"
TYPO_TO = "procurement.channel == \"direct\" and procurement.valeu_nok > ica_threshold"


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("checkout")
    for part in ("policies", "schemas", "examples"):
        shutil.copytree(REPO / part, root / part)
    return root


class Session:
    """A client with the diagnostics the server published, by URI, as they arrive."""

    def __init__(self, root: Path):
        self.root = root
        self.client = LanguageClient("icpolicy-test", "1")
        self.diagnostics: dict[str, list[lsp.Diagnostic]] = {}
        self.arrived: asyncio.Queue = asyncio.Queue()

        @self.client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(ls, params: lsp.PublishDiagnosticsParams):
            self.diagnostics[params.uri] = params.diagnostics
            self.arrived.put_nowait(params.uri)

    async def start(self):
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        await self.client.start_io(sys.executable, "-m", "icpolicy", "lsp", cwd=str(self.root), env=env)
        await self.client.initialize_async(
            lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), root_uri=from_fs_path(str(self.root)))
        )
        self.client.initialized(lsp.InitializedParams())

    async def diagnostics_for(self, uri: str) -> list[lsp.Diagnostic]:
        while True:
            got = await asyncio.wait_for(self.arrived.get(), timeout=30)
            if got == uri:
                return self.diagnostics[uri]

    def open(self, path: Path, text: str | None = None) -> str:
        uri = from_fs_path(str(path))
        text = path.read_text(encoding="utf-8") if text is None else text
        self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "yaml", 1, text)))
        return uri

    def change(self, uri: str, text: str, version: int = 2) -> None:
        self.client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                lsp.VersionedTextDocumentIdentifier(version=version, uri=uri),
                [lsp.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    async def stop(self):
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()


def _position(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    index = text.index(needle) + offset
    before = text[:index]
    return before.count("\n"), index - (before.rfind("\n") + 1)


def _validate_json(path: Path, cwd: Path) -> list[dict]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-m", "icpolicy", "validate", "--format", "json", str(path)],
                         cwd=cwd, env=env, capture_output=True, text=True, check=False)
    return [json.loads(line) for line in out.stdout.splitlines()]


# A case being typed: each `|` is a cursor where completion is asked, named in order.
NEW_CASE = """\
id: NEW-1
|
procurement:
  value_nok: 150000000
  channel: |
  |
supplier: {country: US, |}
projects:
  - id: P1
    kind: direct
    |
  - |
"""
NEW_CASE_CURSORS = ("top", "channel value", "procurement", "supplier flow", "in a project", "new project")

NEW_TESTS = """\
base_case:
  supplier:
    |
tests:
  - name: new
    case: {procurement: {|}}
    expect:
      |
"""
NEW_TESTS_CURSORS = ("base_case supplier", "test case procurement", "expect")


def _cursors(text: str) -> dict:
    names = NEW_CASE_CURSORS if text is NEW_CASE else NEW_TESTS_CURSORS
    out, at = {}, 0
    plain = text.replace("|", "")
    for name in names:
        index = text.index("|", at)
        at = index + 1
        before = plain[: index - len(out)]
        out[name] = (before.count("\n"), len(before) - (before.rfind("\n") + 1))
    return out


async def _session(root: Path) -> dict:
    """One server process for every check (starting one takes about a second)."""
    seen: dict = {}
    s = Session(root)
    await s.start()
    try:
        policy = root / "policies" / "bif" / "policy.yaml"
        good = policy.read_text(encoding="utf-8")
        uri = s.open(policy, good.replace(TYPO_FROM, TYPO_TO))
        seen["typo"] = await s.diagnostics_for(uri)
        seen["typo_at"] = _position(good.replace(TYPO_FROM, TYPO_TO), "procurement.valeu_nok")
        s.change(uri, good)
        seen["fixed"] = await s.diagnostics_for(uri)
        line, col = _position(good, "> ica_threshold", 3)
        seen["hover"] = await s.client.text_document_hover_async(
            lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(line, col)))
        seen["definition"] = await s.client.text_document_definition_async(
            lsp.DefinitionParams(lsp.TextDocumentIdentifier(uri), lsp.Position(line, col)))
        seen["threshold_key"] = _position(good, "  ica_threshold:", 2)
        # Type `procurement.` at the end of a condition and ask what may follow.
        typing = good.replace(TYPO_FROM, "procurement.channel == \"direct\" and procurement.")
        s.change(uri, typing, 3)
        await s.diagnostics_for(uri)
        line, col = _position(typing, "and procurement.\n", len("and procurement."))
        seen["completion"] = await s.client.text_document_completion_async(
            lsp.CompletionParams(lsp.TextDocumentIdentifier(uri), lsp.Position(line, col)))
        s.change(uri, good, 4)
        await s.diagnostics_for(uri)

        case = root / "examples" / "cases" / "01-us-frigate-direct.yaml"
        case_text = case.read_text(encoding="utf-8")
        case_uri = s.open(case, case_text.replace("value_nok:", "valu_nok:", 1))
        seen["case"] = await s.diagnostics_for(case_uri)
        seen["case_at"] = _position(case_text, "value_nok:")
        line, col = _position(case_text, "  country: US", 4)
        seen["case_hover"] = await s.client.text_document_hover_async(
            lsp.HoverParams(lsp.TextDocumentIdentifier(case_uri), lsp.Position(line, col)))

        # Keys typed into a new case document (it does not parse while half-typed).
        new_case = root / "examples" / "cases" / "new-case.yaml"
        typed = NEW_CASE.replace("|", "")
        new_uri = s.open(new_case, typed)
        await s.diagnostics_for(new_uri)
        for name, (line, col) in _cursors(NEW_CASE).items():
            seen["keys", name] = await s.client.text_document_completion_async(
                lsp.CompletionParams(lsp.TextDocumentIdentifier(new_uri), lsp.Position(line, col)))
        test_file = root / "policies" / "bif" / "tests" / "new-tests.yaml"
        test_uri = s.open(test_file, NEW_TESTS.replace("|", ""))
        await s.diagnostics_for(test_uri)
        for name, (line, col) in _cursors(NEW_TESTS).items():
            seen["test keys", name] = await s.client.text_document_completion_async(
                lsp.CompletionParams(lsp.TextDocumentIdentifier(test_uri), lsp.Position(line, col)))

        tests = root / "policies" / "bif" / "tests" / "obligation.yaml"
        tests_uri = s.open(tests)
        seen["tests"] = await s.diagnostics_for(tests_uri)
        seen["lenses"] = await s.client.text_document_code_lens_async(
            lsp.CodeLensParams(lsp.TextDocumentIdentifier(tests_uri)))
        seen["test_count"] = tests.read_text(encoding="utf-8").count("\n  - name:")
    finally:
        await s.stop()
    return seen


@pytest.fixture(scope="module")
def session(checkout) -> dict:
    return asyncio.run(_session(checkout))


def test_a_typo_is_one_diagnostic_at_its_range_as_validate_reports_it(session, checkout):
    [d] = session["typo"]
    line, col = session["typo_at"]
    assert d.code == "E-FIELD" and "unknown field 'valeu_nok' of procurement" in d.message
    assert (d.range.start.line, d.range.start.character) == (line, col)
    assert (d.range.end.line, d.range.end.character) == (line, col + len("procurement.valeu_nok"))
    assert d.severity == lsp.DiagnosticSeverity.Error and "did you mean 'value_nok'?" in d.message
    # The same finding `validate` reports for that text on disk: code, line and column.
    copy = checkout / "typo"
    shutil.copytree(checkout / "policies" / "bif", copy / "bif")
    policy = copy / "bif" / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace(TYPO_FROM, TYPO_TO), encoding="utf-8")
    [found] = _validate_json(copy / "bif", checkout)
    assert (found["code"], found["line"] - 1, found["col"] - 1) == (d.code, line, col)


def test_fixing_the_typo_clears_the_diagnostic(session):
    assert list(session["fixed"]) == []


def test_hover_on_a_parameter_shows_value_unit_and_quote(session):
    text = session["hover"].contents.value
    assert "**ica_threshold** = 100 MNOK (100 000 000 NOK), unit NOK" in text
    assert "«ved alle anskaffelser fra utlandet dersom verdien overskrider 100 MNOK»" in text


def test_go_to_definition_of_a_parameter(session, checkout):
    location = session["definition"]
    assert location.uri == from_fs_path(str((checkout / "policies" / "bif" / "policy.yaml").resolve()))
    assert (location.range.start.line, location.range.start.character) == session["threshold_key"]


def test_completion_after_procurement_dot_lists_the_case_fields(session):
    labels = [item.label for item in session["completion"].items]
    schema = json.loads((REPO / "schemas" / "case.schema.json").read_text(encoding="utf-8"))
    assert labels == list(schema["properties"]["procurement"]["properties"])
    value = next(i for i in session["completion"].items if i.label == "value_nok")
    assert value.detail == "money" and value.kind == lsp.CompletionItemKind.Field


def test_a_case_document_is_checked_against_the_policy(session):
    line, col = session["case_at"]
    problems = [(d.code, d.range.start.line) for d in session["case"]]
    assert ("E-CASE", line) in problems
    assert any("did you mean 'value_nok'" in d.message for d in session["case"])
    hover = session["case_hover"].contents.value
    assert hover.startswith("**supplier.country**: string") and "ISO 3166-1 alpha-2 code" in hover


def test_each_test_shows_its_result_on_its_line(session):
    assert list(session["tests"]) == []
    titles = [lens.command.title for lens in session["lenses"]]
    assert len(titles) == session["test_count"] > 0
    assert set(titles) == {"✓ passes"}


def _schema_keys(*path: str) -> list[str]:
    schema = json.loads((REPO / "schemas" / "case.schema.json").read_text(encoding="utf-8"))
    for part in path:
        schema = schema["properties"][part]
        if schema.get("type") == "array":
            schema = schema["items"]
    return list(schema["properties"])


@pytest.mark.parametrize(
    "cursor, path, written",
    [
        ("top", (), {"id", "procurement", "supplier", "projects"}),
        ("procurement", ("procurement",), {"value_nok", "channel"}),
        ("supplier flow", ("supplier",), {"country"}),
        ("in a project", ("projects",), {"id", "kind"}),
        ("new project", ("projects",), set()),
    ],
)
def test_key_completion_in_a_case_document_lists_the_fields_not_yet_written(session, cursor, path, written):
    items = session["keys", cursor].items
    assert [i.label for i in items] == [k for k in _schema_keys(*path) if k not in written]
    assert all(i.insert_text == f"{i.label}: " and i.kind == lsp.CompletionItemKind.Field for i in items)


def test_key_completion_in_a_test_file_lists_case_fields_and_decisions(session):
    assert [i.label for i in session["test keys", "base_case supplier"].items] == _schema_keys("supplier")
    assert [i.label for i in session["test keys", "test case procurement"].items] == _schema_keys("procurement")
    expect = [i.label for i in session["test keys", "expect"].items]
    assert {"ica_required", "obligation_nok", "projects"} <= set(expect) and "value_nok" not in expect


def test_value_completion_after_a_key_lists_the_values_of_an_enumeration(session):
    items = session["keys", "channel value"].items
    schema = json.loads((REPO / "schemas" / "case.schema.json").read_text(encoding="utf-8"))
    channel = schema["properties"]["procurement"]["properties"]["channel"]
    assert sorted(i.label for i in items) == sorted(channel["enum"])
    assert all(i.kind == lsp.CompletionItemKind.EnumMember for i in items)
