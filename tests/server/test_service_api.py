"""The JSON API through Starlette's TestClient: the same objects as `icpolicy eval`."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner
from server_support import EXAMPLES, example

from icpolicy.cli.main import cli

YAML = {"content-type": "application/yaml"}
JSON = {"content-type": "application/json"}


def _eval_json(*args: str) -> object:
    result = CliRunner().invoke(cli, ["eval", "--format", "json", *args])
    return json.loads(result.output, parse_float=Decimal)


def _without_id(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k != "decision_id"}


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_decide_gives_what_eval_gives(client, name):
    response = client.post("/v1/decide", content=example(name), headers=YAML)
    assert response.status_code == 200
    answer = json.loads(response.text, parse_float=Decimal)
    assert isinstance(answer["decision_id"], str) and answer["decision_id"]
    assert _without_id(answer) == _eval_json(str(EXAMPLES / name))


def test_numbers_are_exact_in_and_out(client):
    case = {"id": "X", "date": "2026-01-10", "procurement": {"value_nok": 100000000.01},
            "supplier": {"country": "US"}}
    text = json.dumps(case).replace("100000000.01", "100000000.0100000000000000000001")
    answer = json.loads(client.post("/v1/decide", content=text, headers=JSON).text, parse_float=Decimal)
    assert answer["decisions"]["ica_required"]["value"] is True
    assert answer["decisions"]["obligation_nok"]["value"] == Decimal("100000000.0100000000000000000001")


def test_query_parameters(client):
    body = example("01-us-frigate-direct.yaml")
    only = client.post("/v1/decide?decision=ica_required&explain=false", content=body, headers=YAML).json()
    assert list(only["decisions"]) == ["ica_required"]
    assert "explanation" not in only["decisions"]["ica_required"]
    old = client.post("/v1/decide?version=2001.1", content=body, headers=YAML).json()
    assert old["policy"]["version"] == "2001.1"
    as_of = client.post("/v1/decide?as_of=2015-06-01", content=body, headers=YAML).json()
    assert as_of["policy"]["version"] == "2001.1"


@pytest.mark.parametrize("query, field", [
    ("decision=no_such_decision", "no_such_decision"),
    ("as_of=2026-W10-1", "as_of"),
    ("as_of=2023-02-29", "as_of"),
    ("version=1999.9", "1999.9"),
    ("explain=maybe", "explain"),
    ("lang=fr", "lang"),
    ("colour=blue", "colour"),
])
def test_bad_query_parameters_are_400_with_a_diagnostic(client, query, field):
    response = client.post(f"/v1/decide?{query}", content=example("01-us-frigate-direct.yaml"), headers=YAML)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors and field in errors[0]["message"]


def test_an_invalid_case_is_422_with_the_fields_and_positions(client):
    body = b"id: A\ndate: 2026-01-10\nprocurement:\n  value_nok: lots\nsupplier:\n  country: US\n"
    response = client.post("/v1/decide", content=body, headers=YAML)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "procurement.value_nok"
    assert (error["file"], error["line"], error["col"]) == ("<request>", 4, 14)


def test_batch_in_order_with_errors_among_good_items(client):
    good = json.loads(json.dumps(__import__("yaml").safe_load(example("09-exactly-100-mnok.yaml")), default=str))
    bad = {"id": "BAD", "date": "2026-01-10"}
    lines = "\n".join([json.dumps(good), "{not json", json.dumps(bad), json.dumps(good)])
    answer = client.post("/v1/decide/batch", content=lines, headers={"content-type": "application/x-ndjson"}).json()
    assert [("errors" in a) for a in answer] == [False, True, True, False]
    assert answer[1]["errors"][0]["line"] == 2
    assert answer[2]["case"] == "BAD"
    assert answer[0]["decisions"] == answer[3]["decisions"]
    assert answer[0]["decision_id"] != answer[3]["decision_id"]
    as_array = client.post("/v1/decide/batch", content=json.dumps([good, bad]), headers=JSON).json()
    assert [("errors" in a) for a in as_array] == [False, True]


def test_policy_endpoints(client):
    summary = client.get("/v1/policy").json()
    assert [v["version"] for v in summary["versions"]] == ["2001.1", "2026.1"]
    assert summary["versions"][0]["effective_to"] == "2020-12-31"
    version = client.get("/v1/policy/2026.1").json()
    shown = json.loads(CliRunner().invoke(cli, ["show", "--policy-version", "2026.1", "--format", "json"]).output)
    assert version == shown
    assert client.get("/v1/policy/1999.1").status_code == 404
    schema = client.get("/v1/schema/case").json()
    assert schema["title"] and "procurement" in schema["properties"]
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready"}


def test_unknown_endpoints_and_methods_are_json_errors(client):
    assert client.get("/v1/nothing").status_code == 404
    assert client.get("/v1/nothing").json()["errors"][0]["code"] == "E-HTTP"
    assert client.get("/v1/decide").status_code == 405


def test_every_case_field_has_a_label_and_help_in_both_languages():
    from icpolicy.partial.labels import FIELDS
    from icpolicy.resources import schema_path
    from icpolicy.server.form import _generic

    schema = json.loads(schema_path("case.schema.json").read_text(encoding="utf-8"))

    def resolve(node):
        return schema["$defs"][node["$ref"].split("/")[-1]] if "$ref" in node else node

    def paths(node, prefix=""):
        for name, sub in resolve(node).get("properties", {}).items():
            path, sub = prefix + name, resolve(sub)
            yield path
            if sub.get("type") == "array":
                yield path + "[]"
                yield from paths(sub["items"], path + ".")
            elif sub.get("type") == "object":
                yield from paths(sub, path + ".")

    for path in paths(schema):
        entry = FIELDS.get(_generic(path))
        assert entry and entry[0] and entry[1], f"no nb/en label for {path}"
        label_nb, label_en, help_nb, help_en = entry
        assert bool(help_nb) == bool(help_en), path  # help in both languages or in neither


def test_the_page_is_in_the_language_asked_for(client):
    nb = client.get("/?lang=nb").text
    en = client.get("/", headers={"accept-language": "en-GB"}).text
    assert 'lang="nb"' in nb and "Kontraktsum (NOK)" in nb and "Legg til" in nb
    assert 'lang="en"' in en and "Contract sum (NOK)" in en
    assert "http://" not in nb and "https://" not in nb  # no external assets
    assert client.get("/", headers={"accept-language": "nb-NO,nb;q=0.9"}).text.count('lang="nb"') >= 1


def test_page_downloads(client):
    case = {"id": "CASE 1/2", "date": "2026-01-10", "procurement": {"value_nok": "150000000.50"},
            "supplier": {"country": "NO", "name": "Ålesund AS"}}
    answer = client.post("/ui/case.yaml", content=json.dumps(case), headers=JSON)
    assert answer.headers["content-disposition"] == 'attachment; filename="CASE_1_2.yaml"'
    from icpolicy.yamlsource import parse_yaml

    back = parse_yaml(answer.text, "x.yaml").data
    assert back["supplier"]["country"] == "NO" and back["date"] == "2026-01-10"
    assert str(back["procurement"]["value_nok"]) == "150000000.50"
    report = client.post("/ui/report?lang=nb", content=json.dumps(case), headers=JSON)
    assert report.status_code == 200 and "<html" in report.text and "CASE 1/2" in report.text
    assert 'lang="nb"' in report.text and "industrisamarbeidsavtale" in report.text.lower()


def test_explanations_in_the_language_asked_for(client):
    body = example("10-just-over-100-mnok.yaml")
    nb = client.post("/v1/decide?lang=nb", content=body, headers=YAML).json()
    en = client.post("/v1/decide", content=body, headers=YAML).json()
    assert nb["language"] == "nb" and en["language"] == "en"
    assert "overskrider" in nb["decisions"]["ica_required"]["explanation"][0]["text"]
    assert nb["decisions"]["ica_required"]["value"] == en["decisions"]["ica_required"]["value"]


def test_partial_evaluation_over_http(client):
    case = {"id": "EARLY", "date": "2026-03-01", "procurement": {"value_nok": 80000000, "channel": "direct",
            "regulation": "RAF", "only_for_norway": True, "related_contracts": "unknown",
            "expected_accumulated_value_nok": "unknown"}, "supplier": {"country": "US"}}
    answer = client.post("/v1/decide?partial=true", content=json.dumps(case), headers=JSON).json()
    assert answer["partial"] is True
    assert answer["decisions"]["ica_required"]["state"] == "open"
    assert answer["questions"] and "procurement.related_contracts" in json.dumps(answer["questions"])
    foa = {"id": "FOA", "date": "2026-03-01", "procurement": {"regulation": "FOA"}}
    decided = client.post("/v1/decide?partial=true", content=json.dumps(foa), headers=JSON).json()
    assert decided["decisions"]["ica_required"]["state"] == "decided"
    assert decided["decisions"]["ica_required"]["value"] is False
