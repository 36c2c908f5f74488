"""The YAML test format: reading test files into `PolicyTest`s.

A test file holds `tests:`, each with a name, a case (inline, or a path to a case
document relative to the file), optionally `as_of` (the decision date), and
either `expect` (decisions, any subset; `projects` by id; a value or
{value, rules}) or `expect_error` (code and message fragment). `base_case` is
merged under every test's case, so a file states only what each test changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..diagnostics import Diagnostic, IcpolicyError
from ..policy.loader import POLICY_FILE
from ..resources import schema_path
from ..schemacheck import strict_validator
from ..yamlsource import Document, read_file
from .testfile_errors import test_file_problems


@dataclass
class PolicyTest:
    name: str
    file: str
    line: int
    case: object  # the case mapping (merged), or None when it could not be read
    doc: Document | None  # where the case's fields are written, for error positions
    expect: dict = field(default_factory=dict)  # decision -> value or {value, rules}
    expect_projects: dict = field(default_factory=dict)  # project id -> {decision -> ...}
    expect_error: dict | None = None
    provision: str | None = None
    load_error: IcpolicyError | None = None
    policy_path: str | None = None  # the policy this test runs against
    version: str | None = None  # the version to decide with, whatever the case's date

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@lru_cache(maxsize=1)
def _validator():
    with open(schema_path("test.schema.json"), encoding="utf-8") as fh:
        return strict_validator(json.load(fh))  # patterns match the whole value


def is_test_file(path: Path) -> bool:
    if path.suffix not in (".yaml", ".yml") or path.name == POLICY_FILE:
        return False
    try:
        data = read_file(str(path)).data
    except IcpolicyError:
        return True  # let the loader report it
    return isinstance(data, dict) and "tests" in data


def discover(paths) -> list[Path]:
    """Test files under `paths`: files as given; directories searched recursively."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out += [p for p in sorted(path.rglob("*.y*ml")) if is_test_file(p)]
        else:
            out.append(path)
    return out




def merge(base, over):
    """`over` merged onto `base`: mappings key by key, anything else replaced."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = merge(base[key], value) if key in base else value
        return out
    return over


def load_tests(path: Path) -> list[PolicyTest]:
    """Read one test file; raise IcpolicyError (every problem) when it is malformed."""
    doc = read_file(str(path))
    if not isinstance(doc.data, dict) or "tests" not in doc.data:
        raise IcpolicyError(Diagnostic("E-TEST", "not a test file: a test file is a mapping with `tests:`", doc.span(())))
    problems = test_file_problems(doc, _validator().iter_errors(doc.data))
    if problems:
        raise IcpolicyError(problems)
    base = doc.data.get("base_case", {})
    tests = []
    for i, raw in enumerate(doc.data["tests"]):
        line = doc.span(("tests", i, "name"), key=True).line
        case, case_doc, error = _case_of(path, doc, i, raw, base)
        if case is not None and "as_of" in raw:
            case = {**case, "date": raw["as_of"]}
        expect = dict(raw.get("expect", {}))
        projects = expect.pop("projects", {})
        tests.append(
            PolicyTest(
                raw["name"],
                str(path),
                line,
                case,
                case_doc,
                expect,
                projects,
                raw.get("expect_error"),
                raw.get("provision"),
                error,
                version=raw.get("policy_version"),
            )
        )
    return tests


def _case_of(path: Path, doc: Document, index: int, raw: dict, base: dict):
    given = raw.get("case", {})
    if isinstance(given, str):
        try:
            case_doc = read_file(str(path.parent / given))
        except IcpolicyError as exc:
            return None, None, exc
        return merge(base, case_doc.data), case_doc, None
    # An inline case: its positions are those of the test file, under tests[i].case.
    shifted = _SubDocument(doc, ("tests", index, "case"))
    return merge(base, given), shifted, None


class _SubDocument(Document):
    """A view of a document below a path, so case errors point into the test file."""

    def __init__(self, doc: Document, prefix: tuple):
        super().__init__(doc.name, doc.text, doc.data)
        self._doc, self._prefix = doc, prefix

    def span(self, path, key: bool = False):
        return self._doc.span(self._prefix + tuple(path), key)
