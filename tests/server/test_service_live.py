"""A real `icpolicy serve` on a free loopback port, spoken to over HTTP: decisions,
the hash-chained decision log, replay of what it wrote, and reloading the policy."""

from __future__ import annotations

import json
import shutil
import signal
import time
from decimal import Decimal

import httpx
from click.testing import CliRunner
from server_support import ROOT, example

from icpolicy.cli.main import cli

YAML = {"content-type": "application/yaml"}


def test_serves_the_page_and_the_api(live_server_factory):
    server = live_server_factory()
    page = httpx.get(server.url + "/?lang=nb")
    assert page.status_code == 200 and "<form" in page.text and 'lang="nb"' in page.text
    answer = httpx.post(server.url + "/v1/decide", content=example("10-just-over-100-mnok.yaml"), headers=YAML)
    assert answer.status_code == 200
    assert json.loads(answer.text, parse_float=Decimal)["decisions"]["ica_required"]["value"] is True
    assert httpx.get(server.url + "/openapi.json").json()["openapi"] == "3.1.0"


def test_the_decision_log_is_replayed_and_its_chain_verified(live_server_factory, tmp_path):
    records = tmp_path / "records"
    server = live_server_factory("--records", str(records), "--mask", "supplier.name")
    ids = []
    for name in ("01-us-frigate-direct.yaml", "11-mixed-projects.yaml", "08-foa-exception.yaml"):
        answer = httpx.post(server.url + "/v1/decide", content=example(name), headers=YAML).json()
        ids.append(answer["decision_id"])
        assert answer["case"]  # the answer is never masked
    files = sorted(records.glob("*.json"))
    assert [json.loads(f.read_text())["decision_id"] for f in files] == ids
    first = json.loads(files[0].read_text())
    assert first["case"]["supplier"]["name"] == "[masked]" and first["masked_fields"] == ["supplier.name"]
    runner = CliRunner()
    verified = runner.invoke(cli, ["replay", "--verify-chain", str(records)])
    assert verified.exit_code == 0, verified.output
    # An edited record breaks the chain at the next one; a removed record leaves a gap.
    edited = files[1].read_text().replace('"CASE-2026-011"', '"CASE-2026-999"', 1)
    files[1].write_text(edited)
    broken = runner.invoke(cli, ["replay", "--verify-chain", str(records)])
    assert broken.exit_code == 1 and files[2].name in broken.output
    files[0].unlink()
    gap = runner.invoke(cli, ["replay", "--verify-chain", str(records)])
    assert gap.exit_code == 1 and "record 1" in gap.output


def test_reload_swaps_the_policy_and_a_broken_policy_keeps_the_old_one(live_server_factory, tmp_path):
    policy = tmp_path / "bif"
    shutil.copytree(ROOT / "policies" / "bif", policy)
    server = live_server_factory("--policy", str(policy))
    body = example("09-exactly-100-mnok.yaml")

    def ica_required() -> bool:
        return httpx.post(server.url + "/v1/decide", content=body, headers=YAML).json()["decisions"]["ica_required"]["value"]

    assert ica_required() is False
    text = (policy / "policy.yaml").read_text(encoding="utf-8")
    assert "value: 100 MNOK" in text
    (policy / "policy.yaml").write_text(text.replace("value: 100 MNOK", "value: 99 MNOK", 1), encoding="utf-8")
    reloaded = httpx.post(server.url + "/v1/reload").json()
    assert reloaded["reloaded"] is True
    assert ica_required() is True
    (policy / "policy.yaml").write_text(text.replace("value: 100 MNOK", "value: 100 MNOK +", 1), encoding="utf-8")
    failed = httpx.post(server.url + "/v1/reload")
    assert failed.status_code == 422 and failed.json()["errors"]
    assert ica_required() is True  # the old (99 MNOK) policy keeps serving
    (policy / "policy.yaml").write_text(text, encoding="utf-8")
    server.proc.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 20
    while ica_required() is not False and time.monotonic() < deadline:
        time.sleep(0.1)
    assert ica_required() is False
