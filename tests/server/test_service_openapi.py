"""The OpenAPI document is valid, and real answers of every endpoint match its schemas."""

from __future__ import annotations

import json

import jsonschema
import pytest
from server_support import example

from icpolicy.server.openapi import openapi_document

YAML = {"content-type": "application/yaml"}


def test_the_document_is_valid_openapi_3_1(client):
    validator = pytest.importorskip("openapi_spec_validator")
    document = client.get("/openapi.json").json()
    assert document == json.loads(json.dumps(openapi_document()))
    validator.validate(document)


def _schema_for(document: dict, path: str, method: str, status: int) -> dict:
    response = document["paths"][path][method]["responses"][str(status)]
    schema = response["content"]["application/json"]["schema"]
    return {**schema, "components": document["components"]}


def _check(document, path, method, response):
    schema = _schema_for(document, path, method, response.status_code)
    jsonschema.validate(response.json(), schema, cls=jsonschema.Draft202012Validator)


def test_answers_match_the_document(client):
    document = openapi_document()
    body = example("11-mixed-projects.yaml")
    _check(document, "/v1/decide", "post", client.post("/v1/decide", content=body, headers=YAML))
    _check(document, "/v1/decide", "post", client.post("/v1/decide", content=b"{", headers={"content-type": "application/json"}))
    _check(document, "/v1/decide", "post", client.post("/v1/decide", content=b"id: A\n", headers=YAML))
    _check(document, "/v1/decide", "post", client.post("/v1/decide", content=b"x", headers={"content-type": "text/csv"}))
    lines = b'{"id": "A"}\n' + json.dumps({"id": "B", "date": "2026-01-01", "procurement": {"value_nok": 5},
                                           "supplier": {"country": "US"}}).encode()
    _check(document, "/v1/decide/batch", "post",
           client.post("/v1/decide/batch", content=lines, headers={"content-type": "application/x-ndjson"}))
    partial = {"id": "P", "date": "2026-03-01", "procurement": {"value_nok": 5, "related_contracts": "unknown"},
               "supplier": {"country": "US"}}
    _check(document, "/v1/decide", "post",
           client.post("/v1/decide?partial=true", content=json.dumps(partial), headers={"content-type": "application/json"}))
    _check(document, "/v1/policy", "get", client.get("/v1/policy"))
    _check(document, "/v1/policy/{version}", "get", client.get("/v1/policy/2026.1"))
    _check(document, "/v1/policy/{version}", "get", client.get("/v1/policy/0.0"))
    _check(document, "/healthz", "get", client.get("/healthz"))
    _check(document, "/readyz", "get", client.get("/readyz"))


def test_every_route_is_documented(app):
    documented = set(openapi_document()["paths"])
    routes = {route.path for route in app.routes if route.path.startswith("/v1") or route.path.endswith("z")}
    assert routes - {"/v1/reload"} <= documented and "/v1/reload" in documented
