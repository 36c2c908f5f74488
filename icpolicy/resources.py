"""Where the bundled policies and schemas are: inside the installed package, or in the checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _root(kind: str) -> Path:
    installed = _PACKAGE / "_bundled" / kind
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / kind  # a source checkout or an editable install


def schema_path(name: str) -> Path:
    return _root("schemas") / name


def policies_dir() -> Path:
    return _root("policies")


def default_policy_path() -> Path:
    return policies_dir() / "bif"
