"""Which policy a command uses: never a surprise.

In order, the first that applies:

1. `--policy PATH` given on the command line;
2. a project setting, found upward from the working directory: `policy = "DIR"` in an
   `icpolicy.toml`, or under `[tool.icpolicy]` in a `pyproject.toml` (DIR relative to
   the file that names it);
3. a policy directory found upward from the working directory: a directory holding
   `policy.yaml`, or a `policies/<id>/` directory beside it (the one policy there, or
   among several the one whose directory is named by its `id`; else an error asking which);
4. the policy bundled with icpolicy.

The schemas are always the program's own (they describe what this icpolicy reads);
when a checkout's `schemas/` differ from them, `schema_warnings` says so.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from .diagnostics import Diagnostic, IcpolicyError, Span
from .resources import default_policy_path, schema_path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

POLICY_FILE = "policy.yaml"
POLICIES_DIR = "policies"
SETTINGS_FILE = "icpolicy.toml"
PYPROJECT = "pyproject.toml"

# How each origin is shown in the "policy: ..." line.
_ORIGINS = {
    "option": "given by --policy",
    "setting": "set in {setting}",
    "found": "local checkout",
    "bundled": "bundled with icpolicy {version}",
}


@dataclass(frozen=True)
class PolicyChoice:
    """The policy a command uses and why: `origin` is option, setting, found or bundled."""

    path: Path
    origin: str
    setting: Path | None = None  # the icpolicy.toml or pyproject.toml that named it

    def label(self) -> str:
        from . import __version__

        return _ORIGINS[self.origin].format(setting=self.setting, version=__version__)

    def describe(self, versions: list[Any] | None = None) -> str:
        """`policy: PATH (ID V1, V2; ORIGIN)`; versions are models or compiled versions."""
        ids = ""
        if versions:
            models = [getattr(v, "model", v) for v in versions]
            newest_first = sorted(models, key=lambda m: str(m.effective_from or ""), reverse=True)
            ids = f"{models[0].id} {', '.join(m.version for m in newest_first)}; "
        return f"policy: {self.path.resolve()} ({ids}{self.label()})"


def resolve_policy(explicit: str | Path | None = None, start: Path | None = None) -> PolicyChoice:
    """The policy to use, by the order above. Raises IcpolicyError for a setting that
    names no policy or a `policies/` directory holding several."""
    if explicit is not None:
        return PolicyChoice(Path(explicit), "option")  # as given: outputs name it so
    here = (start or Path.cwd()).resolve()
    setting = find_setting(here)
    if setting is not None:
        return setting
    found = find_policy_dir(here)
    if found is not None:
        return PolicyChoice(found, "found")
    return PolicyChoice(default_policy_path().resolve(), "bundled")


def choice_for(path: str | Path, explicit: str | Path | None = None) -> PolicyChoice:
    """How a policy that is in use came to be chosen: by --policy, by being the one
    discovery finds, by being bundled, or by holding the test files that run (found)."""
    path = Path(path)
    if explicit is not None:
        return PolicyChoice(path, "option")
    try:
        discovered = resolve_policy()
    except IcpolicyError:
        discovered = None
    if discovered is not None and discovered.path.resolve() == path.resolve():
        return discovered
    if path.resolve() == default_policy_path().resolve():
        return PolicyChoice(path.resolve(), "bundled")
    return PolicyChoice(path.resolve(), "found")


def _upward(start: Path):
    yield start
    yield from start.parents


def find_setting(start: Path) -> PolicyChoice | None:
    """The nearest project setting naming a policy, at or above `start`."""
    found = nearest_setting(start, "policy")
    if found is None:
        return None
    file, value = found
    if not isinstance(value, str) or not value.strip():
        raise IcpolicyError(
            Diagnostic("E-CONFIG", "`policy` is the path of a policy directory, in quotes", _setting_span(file, "policy"))
        )
    return PolicyChoice(_checked_target(file, value), "setting", file)


def nearest_setting(start: Path, key: str) -> tuple[Path, Any] | None:
    """(settings file, value) of the nearest `key` at or above `start`: `icpolicy.toml`
    (top level) before `pyproject.toml` (`[tool.icpolicy]`) in each directory."""
    for folder in _upward(start):
        for name, table in ((SETTINGS_FILE, ()), (PYPROJECT, ("tool", "icpolicy"))):
            file = folder / name
            if file.is_file():
                settings = _settings_table(file, table)
                if key in settings:
                    return file, settings[key]
    return None


def _settings_table(file: Path, table: tuple[str, ...]) -> dict:
    try:
        data: Any = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise IcpolicyError(Diagnostic("E-CONFIG", f"cannot read {file}: {exc}", Span(str(file), 1, 1))) from None
    except tomllib.TOMLDecodeError as exc:
        line, col = getattr(exc, "lineno", 1) or 1, getattr(exc, "colno", 1) or 1
        raise IcpolicyError(Diagnostic("E-CONFIG", f"not valid TOML: {exc}", Span(str(file), line, col))) from None
    for key in table:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def _setting_span(file: Path, key: str) -> Span:
    text = file.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(rf"\s*{key}\s*=", line)
        if match:
            return Span(str(file), number, len(line) - len(line.lstrip()) + 1)
    return Span(str(file), 1, 1)


def _checked_target(file: Path, value: str) -> Path:
    target = (file.parent / value).resolve()
    if target.is_file() or (target / POLICY_FILE).is_file() or (target / "versions").is_dir():
        return target
    raise IcpolicyError(
        Diagnostic(
            "E-CONFIG",
            f"policy = {value!r} names no policy: {target} holds no {POLICY_FILE}",
            _setting_span(file, "policy"),
            "name the directory that holds policy.yaml, relative to this file",
        )
    )


def find_policy_dir(start: Path) -> Path | None:
    """The nearest policy directory at or above `start`, or the one `policies/<id>/` beside it."""
    for folder in _upward(start):
        if (folder / POLICY_FILE).is_file():
            return folder
        policies = folder / POLICIES_DIR
        if policies.is_dir():
            found = sorted(p for p in policies.iterdir() if (p / POLICY_FILE).is_file())
            if len(found) > 1:  # copies (policies/bif-50) beside the policy named by its id
                found = [p for p in found if _policy_id(p / POLICY_FILE) == p.name] or found
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                names = ", ".join(p.name for p in found)
                raise IcpolicyError(
                    Diagnostic(
                        "E-CONFIG",
                        f"{policies} holds several policies ({names}): which one is meant?",
                        Span(str(policies), 1, 1),
                        f'use --policy, or put `policy = "{POLICIES_DIR}/{found[0].name}"` in an icpolicy.toml',
                    )
                )
    return None


def _policy_id(file: Path) -> str | None:
    try:
        match = re.search(r"^id:[ \t]*[\"']?([a-z][a-z0-9_-]*)", file.read_text(encoding="utf-8"), re.M)
    except (OSError, UnicodeDecodeError):
        return None
    return match.group(1) if match else None


def schema_warnings(choice: PolicyChoice) -> list[str]:
    """Schemas in the policy's checkout that differ from the program's own (which are used)."""
    if choice.origin == "bundled":
        return []
    checkout = choice.path if choice.path.is_dir() else choice.path.parent
    schemas = checkout.parent.parent / "schemas"
    if not schemas.is_dir():
        return []
    out = []
    for local in sorted(schemas.glob("*.schema.json")):
        program = schema_path(local.name)
        if program.resolve() == local.resolve():
            continue
        try:
            same = program.is_file() and program.read_bytes() == local.read_bytes()
        except OSError:
            same = False
        if not same:
            out.append(
                f"warning: {local} differs from the schema this icpolicy reads ({program}); "
                "the program's schema is used (reinstall icpolicy to use the checkout's)"
            )
    return out


def announce(choice: PolicyChoice, versions: list[Any] | None = None, stream: TextIO | None = None) -> None:
    """Print which policy is used (and any schema mismatch) on stderr: text mode only."""
    stream = stream or sys.stderr
    stream.write(choice.describe(versions) + "\n")
    for line in schema_warnings(choice):
        stream.write(line + "\n")
    stream.flush()  # before the command's own output, wherever both streams go
