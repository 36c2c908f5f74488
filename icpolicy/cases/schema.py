"""The case schema: the contract of a case document, loaded once and handed on.

Input: `schemas/case.schema.json` (JSON Schema 2020-12, what users and editors see).
Output: a `CaseSchema` holding the document, the record types policy expressions
are checked against (`cases.types`) and the normalizer that checks and converts a
case (`cases.normalize`). The policy loader and each compiled policy take a
`CaseSchema` as an input; `bundled_case_schema()` is the one shipped with the
package, read from disk once per process.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..resources import schema_path

if TYPE_CHECKING:
    from ..lang import types as T
    from .normalize import Normalizer


def load_case_schema(path: str | Path | None = None) -> dict:
    """The schema document itself (plain JSON data)."""
    with open(path or schema_path("case.schema.json"), encoding="utf-8") as fh:
        return json.load(fh)


def resolve(schema: dict, root: dict) -> dict:
    """`schema` with its `$ref` (to `#/$defs/...`) followed; sibling keys win."""
    while "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/$defs/"):
            raise ValueError(f"unsupported $ref {ref}")
        extra = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**root["$defs"][ref.split("/")[-1]], **extra}
    return schema



@dataclass(frozen=True)
class CaseSchema:
    """One case schema compiled for its two readers: the checker and the normalizer."""

    document: dict
    types: T.Record
    normalizer: Normalizer

    @classmethod
    def from_document(cls, document: dict) -> CaseSchema:
        from .normalize import Normalizer
        from .types import case_types

        return cls(document, case_types(document), Normalizer(document))

    @classmethod
    def from_file(cls, path: str | Path) -> CaseSchema:
        return cls.from_document(load_case_schema(path))


@functools.lru_cache(maxsize=1)
def bundled_case_schema() -> CaseSchema:
    """The case schema shipped with icpolicy, compiled once per process."""
    return CaseSchema.from_document(load_case_schema())
