"""The language server's view of the files: the editor's unsaved texts over the disk,
and each file checked as `validate` checks it (the same loader, normalizer and test
checks, so the same codes and spans), plus the results of a test file's tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, IcpolicyError
from ..filekinds import FileKind, classify, policy_dir_of


@dataclass
class Analysis:
    """One file checked: its kind, diagnostics by file, the policy it belongs to, and
    for a test file each test's line and result."""

    kind: str
    diagnostics: dict[str, list[Diagnostic]] = field(default_factory=dict)
    policy: Any = None  # the last policy of this file that loaded without problems
    lenses: list[tuple[int, str]] = field(default_factory=list)  # (1-based line, text)


class Workspace:
    def __init__(self) -> None:
        self.buffers: dict[Path, str] = {}  # open documents, as the editor holds them
        self._loaded: dict[Path, tuple[tuple, Any, list[Diagnostic]]] = {}  # policy dir -> (texts, policy, problems)
        self.good: dict[Path, Any] = {}  # policy dir -> last policy that loaded cleanly

    # -- texts --------------------------------------------------------------------
    def text(self, path: Path) -> str | None:
        if path in self.buffers:
            return self.buffers[path]
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def unsaved(self, path: Path) -> bool:
        try:
            return self.buffers.get(path, None) not in (None, path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return True

    # -- policies -----------------------------------------------------------------
    def policy_dir(self, path: Path) -> Path | None:
        """The policy a file belongs to: the policy directory it is in, else the
        policy discovery finds from its directory."""
        from ..discovery import resolve_policy

        owner = policy_dir_of(path.parent)
        if owner is not None:
            return owner
        try:
            return resolve_policy(start=path.parent).path
        except IcpolicyError:
            return None

    def load(self, policy: Path) -> tuple[Any, list[Diagnostic]]:
        """The policy at `policy` with the editor's texts; cached until a text changes."""
        from ..engine.evaluate import CompiledPolicy
        from ..engine.versioned import VersionedPolicy
        from ..policy.versions import load_versions, version_files

        try:
            files = [f.resolve() for f in version_files(policy)]
        except IcpolicyError as exc:
            return None, exc.diagnostics
        texts = {str(f): self.text(f) or "" for f in files}
        key = tuple(sorted(texts.items()))
        cached = self._loaded.get(policy)
        if cached is not None and cached[0] == key:
            return cached[1], cached[2]
        try:
            versions = load_versions(policy, texts=texts)
            loaded: Any = VersionedPolicy([CompiledPolicy(m, d) for m, d in versions])
            problems: list[Diagnostic] = []
            self.good[policy] = loaded
        except IcpolicyError as exc:
            loaded, problems = None, exc.diagnostics
        self._loaded[policy] = (key, loaded, problems)
        return loaded, problems

    # -- one file -----------------------------------------------------------------
    def analyse(self, path: Path) -> Analysis:
        text = self.text(path)
        item = classify(path, named=True, text=text)
        if item.kind == "policy":
            return self._policy_file(path, item)
        owner = self.policy_dir(path)
        policy, policy_problems = self.load(owner) if owner is not None else (None, [])
        out = Analysis(item.kind, {str(path): []}, self.good.get(owner) if owner is not None else None)
        if item.error is not None:
            out.diagnostics[str(path)] = list(item.error.diagnostics)
            return out
        if policy is None and policy_problems and owner is not None:
            out.diagnostics[str(path)] = [_policy_broken(owner)]
            return out
        if item.kind == "tests":
            self._test_file(path, item, policy, out)
        elif item.kind in ("case", "base"):
            from ..filecheck import case_problems

            out.diagnostics[str(path)] = case_problems(item, policy)
        return out

    def _policy_file(self, path: Path, item: FileKind) -> Analysis:
        owner = item.policy_dir or path
        policy, problems = self.load(owner)
        from ..policy.versions import version_files

        try:
            files = [str(f.resolve()) for f in version_files(owner)]
        except IcpolicyError:
            files = [str(path)]
        by_file: dict[str, list[Diagnostic]] = {f: [] for f in files}
        for d in problems:
            by_file.setdefault(d.span.file if d.span else str(path), []).append(d)
        return Analysis("policy", by_file, policy or self.good.get(owner))

    def _test_file(self, path: Path, item: FileKind, policy: Any, out: Analysis) -> None:
        """A test file: the checks of `validate`, then each test run; only for the text
        on disk (test files are read from disk), so while unsaved only its YAML."""
        if self.unsaved(path) or policy is None:
            return
        from ..filecheck import check_test_file
        from ..testing.runner import run_test
        from ..testing.testfile import load_tests

        problems = check_test_file(item, policy)
        out.diagnostics[str(path)] = problems
        if problems:
            return
        try:
            tests = load_tests(path)
        except IcpolicyError:
            return
        for test in tests:
            outcome = run_test(policy, test)
            if outcome.passed:
                out.lenses.append((test.line, "✓ passes"))
                continue
            why = outcome.error or "; ".join(m.describe() for m in outcome.mismatches)
            out.lenses.append((test.line, f"✗ fails: {why}"))
            span = item.doc.span(("tests", tests.index(test), "name"), key=True) if item.doc else None
            out.diagnostics[str(path)].append(Diagnostic("T-FAIL", f"the test fails: {why}", span, severity="information"))


def _policy_broken(owner: Path) -> Diagnostic:
    from ..diagnostics import Span

    return Diagnostic(
        "E-POLICY",
        f"not checked: the policy {owner} has problems (open its files to see them)",
        Span(str(owner), 1, 1),
        severity="information",
    )
