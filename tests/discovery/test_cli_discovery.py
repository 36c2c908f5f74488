"""The owner's loop for real: in a checkout other than the installed package, an edit
to policies/bif/policy.yaml decides `icpolicy eval` run from the checkout, which says
which policy it used; from an unrelated directory the bundled policy decides, and
says so. (The package is imported from this repository, as if installed.)"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CASE = """\
id: C-DISCOVERY
date: "2026-03-01"
procurement: {value_nok: 60000000, regulation: RAF, channel: direct}
supplier: {country: US}
"""


def icpolicy(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "icpolicy", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False, timeout=120)


def test_an_edit_in_the_checkout_decides_and_the_bundled_policy_decides_elsewhere(tmp_path):
    checkout = tmp_path / "checkout"
    for part in ("policies", "schemas", "examples"):
        shutil.copytree(REPO / part, checkout / part)
    policy = checkout / "policies" / "bif" / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    assert text.count("value: 100 MNOK") == 1
    policy.write_text(text.replace("value: 100 MNOK", "value: 50 MNOK"), encoding="utf-8")
    case = tmp_path / "case.yaml"
    case.write_text(CASE, encoding="utf-8")

    local = icpolicy("eval", "--verbose", "--lang", "en", str(case), cwd=checkout)  # the full form
    assert local.returncode == 0, local.stderr
    assert "ica_required" in local.stdout and "yes" in local.stdout.split("ica_required")[1].split("\n")[0]
    assert f"policy: {checkout.resolve() / 'policies' / 'bif'} (bif 2026.1, 2001.1; local checkout)" in local.stderr

    # Deeper in the checkout, the same policy; JSON says nothing on stderr, names the hash.
    deep = icpolicy("eval", "--format", "json", str(case), cwd=checkout / "policies" / "bif" / "tests")
    assert deep.returncode == 0 and deep.stderr == ""
    decided = json.loads(deep.stdout)
    assert decided["decisions"]["ica_required"]["value"] is True

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    bundled = icpolicy("eval", "--format", "json", str(case), cwd=elsewhere)
    assert json.loads(bundled.stdout)["decisions"]["ica_required"]["value"] is False
    assert json.loads(bundled.stdout)["policy"] != decided["policy"]
    text_mode = icpolicy("eval", str(case), cwd=elsewhere)
    assert "(bif 2026.1, 2001.1; bundled with icpolicy " in text_mode.stderr

    # A project setting names the policy, from anywhere below it.
    (elsewhere / "icpolicy.toml").write_text(f'policy = "{(checkout / "policies" / "bif").as_posix()}"\n', encoding="utf-8")
    named = icpolicy("eval", "--format", "json", str(case), cwd=elsewhere)
    assert json.loads(named.stdout)["decisions"]["ica_required"]["value"] is True
    shown = icpolicy("show", "--list", cwd=elsewhere)
    assert f"set in {elsewhere.resolve() / 'icpolicy.toml'}" in shown.stderr

    # The checkout's schemas differ from the program's: said, not silently mixed.
    schema = checkout / "schemas" / "case.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    warned = icpolicy("validate", cwd=checkout)
    assert warned.returncode == 0, warned.stderr
    assert f"warning: {schema.resolve()} differs from the schema this icpolicy reads" in warned.stderr
