"""`icpolicy lsp`: a language server (pygls, stdio) for policy files, test files,
boundary bases and case documents.

Diagnostics as you type (the Diagnostics of `validate`: same codes, same spans),
hover, completion, go to definition, and each test's result on its line (a code
lens, and an information diagnostic for a failing test).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..diagnostics import Diagnostic
from . import knowledge as K
from .state import Analysis, Workspace

_SEVERITY = {
    "error": lsp.DiagnosticSeverity.Error,
    "warning": lsp.DiagnosticSeverity.Warning,
    "information": lsp.DiagnosticSeverity.Information,
    "note": lsp.DiagnosticSeverity.Information,
}
_KINDS = {
    "field": lsp.CompletionItemKind.Field,
    "parameter": lsp.CompletionItemKind.Constant,
    "definition": lsp.CompletionItemKind.Variable,
    "decision": lsp.CompletionItemKind.Function,
    "key": lsp.CompletionItemKind.Property,
    "value": lsp.CompletionItemKind.EnumMember,
}


class IcpolicyServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("icpolicy", __version__)
        self.files = Workspace()
        self.published: set[str] = set()
        self.analyses: dict[Path, Analysis] = {}


def path_of(uri: str) -> Path:
    return Path(to_fs_path(uri) or uri).resolve()


def uri_of(path: str | Path) -> str:
    return from_fs_path(str(path)) or str(path)


def to_range(d: Diagnostic, text: str | None) -> lsp.Range:
    """A Diagnostic's span as an LSP range: its own end when it has one, else the word
    (or the rest of the token) at its start."""
    if d.span is None:
        return lsp.Range(lsp.Position(0, 0), lsp.Position(0, 1))
    line, col = d.span.line - 1, d.span.col - 1
    if d.span.end_col is not None:
        end = lsp.Position((d.span.end_line or d.span.line) - 1, d.span.end_col - 1)
        return lsp.Range(lsp.Position(line, col), end)
    lines = (text or "").splitlines()
    source = lines[line] if 0 <= line < len(lines) else ""
    word = K.word_at(source, col)
    end_col = word.end if word is not None and word.start <= col else col + 1
    if end_col <= col:
        end_col = col + 1
    return lsp.Range(lsp.Position(line, col), lsp.Position(line, end_col))


def to_lsp(d: Diagnostic, text: str | None) -> lsp.Diagnostic:
    message = f"{d.field}: {d.message}" if d.field else d.message
    if d.help:
        message += f"\n{d.help}"
    return lsp.Diagnostic(
        range=to_range(d, text),
        message=message,
        severity=_SEVERITY.get(d.severity, lsp.DiagnosticSeverity.Error),
        code=d.code,
        source="icpolicy",
    )


def publish(server: IcpolicyServer, path: Path) -> None:
    """Check `path` and publish diagnostics for it and the files checked with it."""
    analysis = server.files.analyse(path)
    server.analyses[path] = analysis
    for file, found in analysis.diagnostics.items():
        text = server.files.text(Path(file))
        params = lsp.PublishDiagnosticsParams(uri=uri_of(file), diagnostics=[to_lsp(d, text) for d in found])
        server.text_document_publish_diagnostics(params)


def refresh(server: IcpolicyServer, changed: Path) -> None:
    """Re-check the changed file, then the other open files (they may use its policy)."""
    publish(server, changed)
    for other in list(server.files.buffers):
        if other != changed:
            publish(server, other)


def line_of(server: IcpolicyServer, path: Path, line: int) -> str:
    lines = (server.files.text(path) or "").splitlines()
    return lines[line] if 0 <= line < len(lines) else ""


def model_for(server: IcpolicyServer, path: Path) -> Any:
    """The version model a file's names are looked up in: a version file's own version,
    else the policy's current one."""
    analysis = server.analyses.get(path) or server.files.analyse(path)
    policy = analysis.policy
    if policy is None:
        return None
    for version in policy.versions:
        if version.model.files and Path(version.model.files[0]).resolve() == path:
            return version.model
    return policy.current.model


def build_server() -> IcpolicyServer:
    server = IcpolicyServer()
    _register_documents(server)
    _register_features(server)
    return server


def _register_documents(server: IcpolicyServer) -> None:
    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: IcpolicyServer, params: lsp.DidOpenTextDocumentParams) -> None:
        path = path_of(params.text_document.uri)
        ls.files.buffers[path] = params.text_document.text
        publish(ls, path)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: IcpolicyServer, params: lsp.DidChangeTextDocumentParams) -> None:
        path = path_of(params.text_document.uri)
        ls.files.buffers[path] = ls.workspace.get_text_document(params.text_document.uri).source
        refresh(ls, path)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: IcpolicyServer, params: lsp.DidSaveTextDocumentParams) -> None:
        refresh(ls, path_of(params.text_document.uri))

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: IcpolicyServer, params: lsp.DidCloseTextDocumentParams) -> None:
        path = path_of(params.text_document.uri)
        ls.files.buffers.pop(path, None)
        ls.analyses.pop(path, None)


def _register_features(server: IcpolicyServer) -> None:
    from .features import code_lenses, complete, definition, hover

    server.feature(lsp.TEXT_DOCUMENT_HOVER)(hover)
    server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=["."]))(complete)
    server.feature(lsp.TEXT_DOCUMENT_DEFINITION)(definition)
    server.feature(lsp.TEXT_DOCUMENT_CODE_LENS)(code_lenses)


def completion_item(item: K.Item) -> lsp.CompletionItem:
    return lsp.CompletionItem(
        label=item.label,
        kind=_KINDS.get(item.kind, lsp.CompletionItemKind.Text),
        detail=item.detail,
        insert_text=item.insert or None,
        documentation=lsp.MarkupContent(lsp.MarkupKind.Markdown, item.doc) if item.doc else None,
    )


def main() -> None:
    build_server().start_io()
