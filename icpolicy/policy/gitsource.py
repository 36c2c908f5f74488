"""Git, for policies: files as they were at a revision (without checking it out), the
repository a file is in, its commit and whether it is clean.

The one place icpolicy runs git; the engine's records and the CLI's replay use these
helpers. Every failure (git missing, not a repository, an unknown revision) is an
IcpolicyError with code E-GIT.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from ..diagnostics import Diagnostic, IcpolicyError
from ..discovery import POLICY_FILE
from .versions import VERSIONS_DIR


def run_git(args: list[str], cwd: Path) -> str:
    """git's standard output; E-GIT with git's own message when it fails."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise IcpolicyError(Diagnostic("E-GIT", "git is not installed")) from None
    if done.returncode != 0:
        raise IcpolicyError(Diagnostic("E-GIT", f"git {' '.join(args)}: {done.stderr.strip() or 'failed'}"))
    return done.stdout


def repository_top(folder: Path) -> Path:
    """The top folder of the git repository `folder` is in (E-GIT when it is in none)."""
    return Path(run_git(["rev-parse", "--show-toplevel"], folder).strip())


def file_at(rev: str, path: str, top: Path) -> str:
    """The text of `path` (relative to the repository's top) at revision `rev`."""
    return run_git(["show", f"{rev}:{path}"], top)


def is_revision(rev: str, cwd: Path) -> bool:
    try:
        run_git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd)
        return True
    except IcpolicyError:
        return False


def policy_texts_at(rev: str, policy_path: Path) -> dict[str, str]:
    """{"REV:path": text} for the policy's files (policy.yaml, versions/*.yaml) at REV."""
    policy_path = policy_path.resolve()
    folder = policy_path if policy_path.is_dir() or not policy_path.suffix else policy_path.parent
    top = repository_top(folder)
    rel = policy_path.relative_to(top).as_posix()
    names = run_git(["ls-tree", "-r", "--name-only", "--full-tree", rev, "--", rel], top).split()
    wanted = []
    for name in names:
        inner = name[len(rel) :].lstrip("/") if name != rel else Path(name).name
        if name == rel or inner == POLICY_FILE or (inner.startswith(VERSIONS_DIR + "/") and inner.endswith(".yaml") and inner.count("/") == 1):
            wanted.append(name)
    if not wanted:
        raise IcpolicyError(Diagnostic("E-GIT", f"no policy files under {rel} at {rev}"))
    return {f"{rev}:{name}": file_at(rev, name, top) for name in wanted}


def head_commit(cwd: Path) -> str | None:
    try:
        return run_git(["rev-parse", "HEAD"], cwd).strip()
    except IcpolicyError:
        return None


def is_clean(paths: list[str], cwd: Path) -> bool:
    try:
        return not run_git(["status", "--porcelain", "--", *paths], cwd).strip()
    except IcpolicyError:
        return False
