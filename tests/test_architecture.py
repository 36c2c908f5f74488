"""ARCHITECTURE.md names only modules that exist, and names every subpackage."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")

MODULES = sorted(set(re.findall(r"icpolicy/[\w/]*\w\.py\b", TEXT)))
FOLDERS = sorted(set(re.findall(r"icpolicy/\w+/(?![\w/]*\.py)", TEXT)))


def test_architecture_names_modules():
    assert len(MODULES) > 40 and FOLDERS


def test_every_module_named_exists():
    missing = [path for path in MODULES if not (ROOT / path).is_file()]
    assert missing == []


def test_every_folder_named_exists():
    missing = [path for path in FOLDERS if not (ROOT / path).is_dir()]
    assert missing == []


def test_every_subpackage_is_mentioned():
    packages = sorted(
        p.name for p in (ROOT / "icpolicy").iterdir() if (p / "__init__.py").is_file()
    )
    assert packages
    unmentioned = [name for name in packages if f"icpolicy/{name}/" not in TEXT]
    assert unmentioned == []
