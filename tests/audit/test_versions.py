"""Rules over time: each case is decided by the version in force on its date."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import icpolicy
from icpolicy import IcpolicyError
from icpolicy.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
BIF = ROOT / "policies" / "bif"


def case(day, value=75_000_000, **procurement):
    return {"id": "V", "date": day, "procurement": {"value_nok": value, **procurement}, "supplier": {"country": "US"}}


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize(
    ("day", "version", "required", "rules"),
    [
        ("2020-12-31", "2001.1", True, ("R2001-THRESHOLD",)),
        ("2021-01-01", "2026.1", False, ()),
        ("2001-01-01", "2001.1", True, ("R2001-THRESHOLD",)),
    ],
)
def test_the_version_in_force_on_the_case_date_decides(bif, day, version, required, rules):
    result = bif.evaluate(case(day))
    assert result.to_policy_meta()["version"] == version
    assert result.decisions["ica_required"].value is required
    assert result.decisions["ica_required"].rules == rules


def test_exactly_50_mnok_required_before_the_change_only(bif):
    assert bif.evaluate(case("2020-12-31", 50_000_000)).decisions["ica_required"].value is True
    assert bif.evaluate(case("2021-01-01", 50_000_000)).decisions["ica_required"].value is False


def test_no_version_in_force_is_a_clear_error(bif):
    with pytest.raises(IcpolicyError, match="no version of policy bif is in force on 2000-12-31"):
        bif.evaluate(case("2000-12-31"))


def test_as_of_and_named_version_override_the_date(bif):
    assert bif.evaluate(case("2026-03-01"), as_of="2015-01-01").to_policy_meta()["version"] == "2001.1"
    assert bif.evaluate(case("2015-01-01"), version="2026.1").decisions["ica_required"].value is False


def test_cli_shows_which_version_decided(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(json.dumps(case("2015-06-01")))
    text = run("eval", path)
    assert "(bif 2001.1)" in text.output  # the note names the version (issue 11)
    data = json.loads(run("eval", "--format", "json", "--as-of", "2022-01-01", path).output)
    assert data["policy"]["version"] == "2026.1"
    assert run("eval", "--policy-version", "9.9", path).exit_code == 2
    bad = run("eval", tmp_path / "c.yaml", "--as-of", "2022-02-30")
    assert bad.exit_code == 2


def test_no_version_error_names_file_and_line(tmp_path):
    path = tmp_path / "old.yaml"
    path.write_text("id: X\ndate: 1999-05-01\nprocurement: {value_nok: 1}\nsupplier: {country: US}\n")
    result = run("eval", path)
    assert result.exit_code == 1
    assert f"{path}:2:7: date: no version of policy bif is in force on 1999-05-01" in result.stderr


def test_earlier_regime_kinds(bif):
    day = "2015-06-01"
    kinds = {
        "full": case(day, 50_000_000),
        "conditional": case(day, 10_000_000, has_options=True),
        "none": case(day, 10_000_000),
    }
    for kind, doc in kinds.items():
        assert bif.evaluate(doc).decisions["ica_kind"].value == kind
    sub = {
        "id": "S", "date": day, "procurement": {"value_nok": 80_000_000, "regulation": "FOSA"},
        "supplier": {"country": "SE", "sub_suppliers": [{"country": "US", "value_nok": 60_000_000}]},
    }
    result = bif.evaluate(sub)
    assert result.decisions["ica_kind"].value == "sub_supplier"
    assert result.decisions["ica_required"].rules == ("R2001-SUB-SUPPLIER",)
    assert result.decisions["obligation_nok"].value == 60_000_000


def _copy(tmp_path) -> Path:
    target = tmp_path / "bif"
    shutil.copytree(BIF, target)
    return target


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('effective_to: "2020-12-31"', 'effective_to: "2021-01-05"', "overlap"),
        ('effective_to: "2020-12-31"', 'effective_to: "2020-12-20"', "gap between versions"),
        ('extends: "2026.1"', 'extends: "2025.9"', "extends unknown version '2025.9'"),
    ],
)
def test_versions_must_meet_exactly(tmp_path, old, new, message):
    folder = _copy(tmp_path)
    path = folder / "versions" / "2001.1-50mnok.yaml"
    path.write_text(path.read_text().replace(old, new))
    with pytest.raises(IcpolicyError, match=message):
        icpolicy.load_policy(folder)
    assert run("validate", folder).exit_code == 1


def test_a_version_states_only_what_changes_but_shows_whole():
    text = run("show", "--as-of", "2015-01-01").output
    assert "version 2001.1" in text and "ica_threshold = 50 000 000 NOK" in text
    # Inherited from 2026.1, printed whole:
    assert "P-SHARE" in text and "min_credited_share = 20 %" in text
    data = json.loads(run("show", "--policy-version", "2001.1", "--format", "json").output)
    assert data["version"] == "2001.1" and "status" in data["decisions"] and len(data["files"]) == 2
    assert "version: '2001.1'" in run("show", "--policy-version", "2001.1", "--format", "yaml").output
    assert run("show", "--as-of", "1990-01-01").exit_code == 2
    listing = run("show", "--list").output
    assert "2001.1" in listing and "2026.1" in listing


# --- the United Kingdom leaves the EEA at the end of 2020, whichever version decides ---------

from datetime import date, timedelta  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_UK_LAST_DAY = date(2020, 12, 31)


def _fosa(day: date, supplier: dict) -> dict:
    procurement = {"value_nok": 75_000_000, "regulation": "FOSA", "channel": "direct"}
    return {"id": "UK", "date": day.isoformat(), "procurement": procurement, "supplier": supplier}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offset=st.integers(min_value=-400, max_value=400), as_sub_supplier=st.booleans())
def test_the_uk_is_in_the_eea_until_2020_12_31_also_under_2001_1_chosen_outright(bif, offset, as_sub_supplier):
    # Days on both sides of the boundary, 2001.1 named outright (as --policy-version does):
    # GB is in the EEA up to and including 2020-12-31 and out from 2021-01-01.
    day = _UK_LAST_DAY + timedelta(days=offset)
    in_eea = day <= _UK_LAST_DAY
    if as_sub_supplier:
        supplier = {"country": "SE", "sub_suppliers": [{"country": "GB", "value_nok": 60_000_000}]}
        expected = ("E2001-FOSA-EEA",) if in_eea else ("R2001-SUB-SUPPLIER",)
    else:
        supplier = {"country": "GB"}
        expected = ("E2001-FOSA-EEA",) if in_eea else ("R2001-THRESHOLD",)
    decided = bif.evaluate(_fosa(day, supplier), version="2001.1").decisions["ica_required"]
    assert decided.rules == expected
    assert decided.value is (not in_eea)


@pytest.mark.parametrize(("day", "exempt"), [("2020-12-31", True), ("2021-01-01", False), ("2035-06-01", False)])
def test_eval_with_policy_version_2001_1_takes_the_uk_out_of_the_eea_from_2021(tmp_path, day, exempt):
    path = tmp_path / "uk.json"
    path.write_text(json.dumps(_fosa(date.fromisoformat(day), {"country": "GB"})), encoding="utf-8")
    result = run("eval", path, "--policy-version", "2001.1", "--format", "json", "--no-explain")
    assert result.exit_code == 0, result.output
    decided = json.loads(result.output)
    assert decided["policy"]["version"] == "2001.1"
    assert decided["decisions"]["ica_required"]["value"] is (not exempt)
