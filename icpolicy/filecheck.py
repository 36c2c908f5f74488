"""Checking each kind of file as what it is (see filekinds): the work of `validate`.

Policies are loaded (every version together); test files are read and then checked
against the policy they belong to (decision names, rule ids, project ids, expected
values, and each case that is expected to be decided); boundary bases and case
documents are checked against the case schema of their policy and must fall in the
period of one of its versions; JSON Schemas are checked as schemas. The checks are
the loader's and the normalizer's own: nothing here is a second checker.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, IcpolicyError, Span
from .filekinds import Collected, FileKind
from .yamlsource import Document


@dataclass
class Checked:
    findings: list[Diagnostic] = field(default_factory=list)
    checked: int = 0  # files checked
    skipped: int = 0  # files of no icpolicy kind, met while walking directories
    policies: dict = field(default_factory=dict)  # policy path -> the loaded policy (or None)


class _Policies:
    """Each policy loaded once; its problems reported once, however many files use it."""

    def __init__(self, out: Checked, fallback: Path | None, unknown: IcpolicyError | None = None):
        self.out = out
        self.fallback = fallback
        self.unknown = unknown

    def get(self, path: Path | None) -> Any:
        from . import load_policy

        path = path or self.fallback
        if path is None:
            if self.unknown is not None:
                self.out.findings.extend(self.unknown.diagnostics)
                self.unknown = None  # reported once
            return None
        key = str(path)
        if key not in self.out.policies:
            try:
                self.out.policies[key] = load_policy(path)
            except IcpolicyError as exc:
                self.out.policies[key] = None
                self.out.findings.extend(exc.diagnostics)
        return self.out.policies[key]


def check_files(collected: Collected, policy_option: str | None = None, fallback: Path | None = None,
                unknown: IcpolicyError | None = None) -> Checked:
    """Check every collected file. `policy_option`: --policy, used for every file that
    needs a policy; otherwise the policy directory a file is in, else `fallback`
    (`unknown`: why there is none, reported when a file needs it)."""
    out = Checked()
    policies = _Policies(out, fallback, unknown)
    chosen = Path(policy_option) if policy_option else None
    policy_files: dict[str, list[FileKind]] = {}
    for item in collected.files:
        if item.kind == "policy":
            policy_files.setdefault(str(item.policy_dir or item.path), []).append(item)
    for owner, items in policy_files.items():
        out.checked += len(items)
        policies.get(Path(owner))
    for item in collected.files:
        if item.kind == "policy":
            continue
        if item.kind == "other":
            out.skipped += 1
            continue
        out.checked += 1
        if item.error is not None:
            out.findings.extend(item.error.diagnostics)
        elif item.kind == "schema":
            out.findings.extend(_schema_problems(item))
        elif item.kind == "tests":
            out.findings.extend(check_test_file(item, policies.get(chosen or item.policy_dir)))
        else:
            out.findings.extend(case_problems(item, policies.get(chosen or item.policy_dir)))
    out.findings = _dedupe(out.findings)
    return out


def _dedupe(findings: list[Diagnostic]) -> list[Diagnostic]:
    seen: set = set()
    out = []
    for d in findings:
        key = (d.code, d.message, d.span)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def _schema_problems(item: FileKind) -> list[Diagnostic]:
    import jsonschema

    assert item.doc is not None
    try:
        jsonschema.Draft202012Validator.check_schema(item.doc.data)
    except jsonschema.SchemaError as exc:
        path = tuple(exc.absolute_path)
        return [Diagnostic("E-SCHEMA", f"not a valid JSON Schema: {exc.message}", item.doc.span(path))]
    return []


def case_problems(item: FileKind, policy: Any) -> list[Diagnostic]:
    """A case document (or a .jsonl batch, or a boundary base) under its policy."""
    from .cases.inputs import iter_case_documents

    if policy is None:
        return []  # the policy's own problems are reported
    inputs = iter_case_documents([str(item.path)]) if item.doc is None else [_Input(item.doc)]
    problems: list[Diagnostic] = []
    for case in inputs:
        if case.error is not None or case.doc is None:
            problems += case.error.diagnostics if case.error is not None else []
            continue
        try:
            policy.normalize(case.doc.data, case.doc)
            # A case must also fall in the period of some version of the policy.
            policy.evaluate(case.doc.data, decisions=[policy.output_names[0]], doc=case.doc)
        except IcpolicyError as exc:
            problems += exc.diagnostics
    return problems


@dataclass
class _Input:
    doc: Document
    error: IcpolicyError | None = None


# ---- test files ------------------------------------------------------------------

def check_test_file(item: FileKind, policy: Any) -> list[Diagnostic]:
    """A test file: its format, then each test against the policy it runs against."""
    from .testing.testfile import load_tests

    try:
        tests = load_tests(item.path)
    except IcpolicyError as exc:
        return exc.diagnostics
    if policy is None or item.doc is None:
        return []
    problems: list[Diagnostic] = []
    for index, test in enumerate(tests):
        if test.load_error is not None:
            problems += test.load_error.diagnostics
            continue
        problems += _TestCheck(item.doc, index, test, policy).run()
    return _each_once(problems)


def _each_once(problems: list[Diagnostic]) -> list[Diagnostic]:
    """A mistake in `base_case` is in every test that inherits it: reported once, there."""
    seen: set = set()
    out = []
    for d in problems:
        key = (d.code, d.message, d.span, d.field)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


class _TestCheck:
    """One test against the version of the policy that decides its case."""

    def __init__(self, doc: Document, index: int, test: Any, policy: Any):
        self.doc, self.index, self.test = doc, index, test
        self.problems: list[Diagnostic] = []
        self.version = policy.current
        self.decisions = {d.name: d for d in policy.current.model.decisions()}
        try:
            self.version = policy.select(test.case, version=getattr(test, "version", None))
        except IcpolicyError as exc:
            if test.expect_error is not None:
                return  # a case out of every period may be what the test is about
            span = test.doc.span(("date",)) if test.doc is not None else self.span(())
            self.problems += [Diagnostic(d.code, d.message, span, d.help, field="date") for d in exc.diagnostics]
            return
        self.decisions = {d.name: d for d in self.version.model.decisions()}

    def span(self, path: tuple, key: bool = False) -> Span:
        return self.doc.span(("tests", self.index) + path, key)

    def placed_in_base(self, d: Diagnostic) -> Diagnostic:
        """A case problem in a field the test inherits from `base_case` is placed there."""
        if not d.field or not isinstance(self.doc.data, dict):
            return d
        path = tuple(int(p) if p.isdigit() else p for p in re.split(r"\.|\[(\d+)\]", d.field) if p)
        raw = self.doc.data["tests"][self.index]
        own = raw.get("case", {}) if isinstance(raw, dict) else {}
        if isinstance(own, str):
            own = self.test.doc.data if self.test.doc is not None else {}
        if _holds(own, path) or not _holds(self.doc.data.get("base_case"), path):
            return d
        return dataclasses.replace(d, span=self.doc.span(("base_case",) + path))

    def fail(self, message: str, path: tuple, help: str | None = None, key: bool = True) -> None:
        self.problems.append(Diagnostic("E-TEST", message, self.span(path, key), help))

    def run(self) -> list[Diagnostic]:
        if self.test.expect_error is None:
            try:
                self.version.normalize(self.test.case, self.test.doc)
            except IcpolicyError as exc:
                self.problems += [self.placed_in_base(d) for d in exc.diagnostics]
        self.check_expected(self.test.expect, ("expect",), "case")
        self.check_projects()
        return self.problems

    def check_expected(self, expected: dict, path: tuple, scope: str) -> None:
        from .diagnostics import suggest

        names = [n for n, d in self.decisions.items() if d.scope == scope]
        for name, want in expected.items():
            node = self.decisions.get(name)
            if node is None or node.scope != scope:
                hint = suggest(name, names + (["projects"] if scope == "case" else []))
                if node is not None:
                    where = "under `projects: {ID: ...}`" if node.scope == "project" else "outside `projects`"
                    hint = f"'{name}' is decided for {'each project' if node.scope == 'project' else 'the case'}: expect it {where}"
                self.fail(f"'{name}' is not a decision of {self.version.model.id} {self.version.model.version}", path + (name,), hint)
                continue
            value = want.get("value") if isinstance(want, dict) else want
            if not isinstance(want, dict) or "value" in want:
                self.check_value(node, value, path + (name,) + (("value",) if isinstance(want, dict) else ()))
            if isinstance(want, dict):
                self.check_rules(node, want.get("rules", ()), path + (name, "rules"))

    def check_value(self, node: Any, value: object, path: tuple) -> None:
        problem = expected_value_problem(node.type, value)
        if problem is not None:
            message, hint = problem
            self.fail(f"'{node.name}' {message}", path, hint, key=False)

    def check_rules(self, node: Any, rules: object, path: tuple) -> None:
        from .diagnostics import suggest

        ids = [r.id for r in node.rules]
        for j, rule in enumerate(rules if isinstance(rules, list) else []):
            if rule not in ids:
                known = ", ".join(ids) if ids else "none: it is computed by its formula"
                self.fail(f"'{rule}' is not a rule of '{node.name}' (its rules: {known})", path + (j,), suggest(str(rule), ids), key=False)

    def check_projects(self) -> None:
        case = self.test.case if isinstance(self.test.case, dict) else {}
        raw = case.get("projects")
        ids = [p.get("id") for p in raw if isinstance(p, dict)] if isinstance(raw, list) else []
        for pid, wanted in self.test.expect_projects.items():
            path = ("expect", "projects", pid)
            if pid not in ids:
                have = ", ".join(str(i) for i in ids) if ids else "none"
                self.fail(f"the case has no project '{pid}' (its projects: {have})", path)
            elif isinstance(wanted, dict):
                self.check_expected(wanted, path, "project")


def expected_value_problem(typ: Any, value: object) -> tuple[str, str | None] | None:
    """Why an expected value can never equal a value of type `typ` (None when it can)."""
    from .cases.numbers import to_decimal
    from .diagnostics import suggest
    from .lang import types as T

    if typ is None or value is None:
        return None
    typ = T.strip_optional(typ)
    if typ == T.BOOL and not isinstance(value, bool):
        return f"is true or false, not {value!r}", None
    if typ in T.NUMERIC and (isinstance(value, bool) or to_decimal(value, allow_percent=True) is None):
        return f"is a number ({typ}), not {value!r}", None
    if isinstance(typ, T.Str) and typ.values and value not in typ.values:
        return f"is one of {' | '.join(sorted(typ.values))}, not {value!r}", suggest(str(value), sorted(typ.values))
    return None


def _holds(data: object, path: tuple) -> bool:
    """Whether `data` has a value at `path` (keys and list indices)."""
    for part in path:
        in_dict = isinstance(data, dict) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and part < len(data)
        if not (in_dict or in_list):
            return False
        data = data[part]  # type: ignore[index]
    return True
