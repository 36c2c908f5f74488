"""Request bodies -> case documents, with the same readers and Diagnostics as the CLI.

A body is JSON (`application/json`), YAML (`application/yaml`, `text/yaml`) or, for
batches, JSON Lines (`application/x-ndjson`, `application/jsonl`). Positions in the
Diagnostics are line:col in the request body, whose name is `<request>`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, IcpolicyError, Span
from ..yamlsource import Document, parse_json, parse_yaml

if TYPE_CHECKING:
    from starlette.requests import Request

BODY = "<request>"
JSON_TYPES = ("application/json",)
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/json-lines")


class BodyError(Exception):
    """A request that cannot be read at all: the HTTP status and why."""

    def __init__(self, status: int, diagnostics: list[Diagnostic]):
        super().__init__(diagnostics[0].message)
        self.status = status
        self.diagnostics = diagnostics


@dataclass
class BatchItem:
    index: int  # 0-based position in the batch
    doc: Document | None
    error: IcpolicyError | None = None


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused with 413 as soon as it is known to be larger than `limit`."""
    too_large = BodyError(413, [Diagnostic("E-LIMIT", f"the request body is larger than {limit} bytes",
                                           help="send less, or start the server with a larger limit")])
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def media_type(header: str | None) -> str:
    return (header or "").split(";", 1)[0].strip().lower()


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BodyError(400, [Diagnostic("E-IO", f"the request body is not UTF-8 text ({exc.reason} at byte {exc.start})",
                                         Span(BODY, 1, 1))]) from None


def unsupported(kind: str, accepted: tuple[str, ...]) -> BodyError:
    names = ", ".join(accepted)
    return BodyError(415, [Diagnostic("E-MEDIA-TYPE", f"cannot read a body of type {kind or '(none)'!r}",
                                      help=f"send one of: {names}")])


def read_document(raw: bytes, content_type: str | None) -> Document:
    """One case document from a request body; IcpolicyError for a document that is not well formed."""
    kind = media_type(content_type)
    if kind not in JSON_TYPES + YAML_TYPES:
        raise unsupported(kind, JSON_TYPES + YAML_TYPES)
    text = decode(raw)
    if not text.strip():
        raise BodyError(400, [Diagnostic("E-EMPTY", "the request body is empty: send one case document", Span(BODY, 1, 1))])
    try:
        return parse_json(text, BODY) if kind in JSON_TYPES else parse_yaml(text, BODY)
    except IcpolicyError as exc:
        raise BodyError(400, exc.diagnostics) from None


def read_batch(raw: bytes, content_type: str | None, max_items: int) -> list[BatchItem]:
    """The items of a batch: a JSON array of case documents, or JSON Lines (one per line).

    A JSON array that is not well formed is refused whole (400); in JSON Lines each bad
    line is an error item of its own and the others are decided.
    """
    kind = media_type(content_type)
    if kind not in JSON_TYPES + JSONL_TYPES:
        raise unsupported(kind, JSON_TYPES + JSONL_TYPES)
    text = decode(raw)
    items = list(_jsonl_items(text)) if kind in JSONL_TYPES else _array_items(text)
    if not items:
        raise BodyError(400, [Diagnostic("E-EMPTY", "the batch holds no case documents", Span(BODY, 1, 1))])
    if len(items) > max_items:
        raise BodyError(413, [Diagnostic("E-LIMIT", f"the batch holds {len(items)} cases; at most {max_items} are taken "
                                                    "in one request", help="split it, or start the server with a "
                                                    "larger --max-batch")])
    return items


def _array_items(text: str) -> list[BatchItem]:
    try:
        doc = parse_json(text, BODY)
    except IcpolicyError as exc:
        raise BodyError(400, exc.diagnostics) from None
    if not isinstance(doc.data, list):
        raise BodyError(422, [Diagnostic("E-BATCH", "a batch is a JSON array of case documents (or JSON Lines)",
                                         Span(BODY, 1, 1))])
    return [BatchItem(index, _item_document(doc, index, case)) for index, case in enumerate(doc.data)]


def _item_document(whole: Document, index: int, case: object) -> Document:
    """An array item as a document of its own whose positions are line:col in the whole body."""
    item = Document(BODY, whole.text, case)

    def find(target: Document) -> None:
        whole.span(())  # finds the whole body's positions once
        for table, into in ((whole.values, target.values), (whole.keys, target.keys)):
            for path, place in table.items():
                if path[:1] == (index,):
                    into[path[1:]] = place

    item.find_positions = find
    return item


def _jsonl_items(text: str) -> Iterator[BatchItem]:
    index = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield BatchItem(index, parse_json(line, BODY, line_offset=number - 1))
        except IcpolicyError as exc:
            yield BatchItem(index, None, exc)
        index += 1
