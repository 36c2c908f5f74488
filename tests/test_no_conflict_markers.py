"""No file in the repository holds a merge's conflict markers (one once reached docs/)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^(<{7} |>{7} |={7}$)", re.MULTILINE)


def test_no_tracked_file_holds_conflict_markers():
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False)
    files = listed.stdout.split() if listed.returncode == 0 else [str(p.relative_to(ROOT)) for p in ROOT.rglob("*.md")]
    found = []
    for name in files:
        if not name.endswith((".md", ".py", ".yaml", ".yml", ".json", ".toml", ".txt", ".html")):
            continue
        path = ROOT / name
        if path.is_file() and MARKER.search(path.read_text(encoding="utf-8", errors="replace")):
            found.append(name)
    assert found == []
