"""Hostile requests: each gets a 4xx with Diagnostics, never a 500 and never a partial result."""

from __future__ import annotations

import pytest
from server_support import example

from icpolicy.server.app import create_app
from icpolicy.server.limits import Limits

YAML = {"content-type": "application/yaml"}
JSON = {"content-type": "application/json"}


@pytest.mark.parametrize("body, headers, status", [
    (b"{", JSON, 400),
    (b"[1, 2", JSON, 400),
    (b'{"a": 1, "a": 2}', JSON, 400),
    (b"\xff\xfe", JSON, 400),
    (b"", JSON, 400),
    (b"a: [1, 2\n", YAML, 400),
    (b"a: &x [1]\nb: *x\n", YAML, 400),
    (b"!!python/object:os.system {}\n", YAML, 400),
    (b"[" * 10000 + b"]" * 10000, JSON, 400),
    (b"a:\n" + b"".join(b"  " * i + b"- \n" for i in range(1, 300)), YAML, 400),
    (b'{"id": "x"}', {"content-type": "text/plain"}, 415),
    (b'{"id": "x"}', {}, 415),
    (b"[1, 2, 3]", JSON, 422),
    (b'"a string"', JSON, 422),
    (b'{"id": "\\ud800", "date": "2026-01-01"}', JSON, 422),
])
def test_bad_bodies(client, body, headers, status):
    response = client.post("/v1/decide", content=body, headers=headers)
    assert response.status_code == status, response.text
    errors = response.json()["errors"]
    assert errors and all(e["code"].startswith("E-") for e in errors)
    assert "decisions" not in response.json()


def test_body_and_batch_limits():
    from starlette.testclient import TestClient

    app = create_app(limits=Limits(max_body_bytes=2000, max_batch_bytes=4000, max_batch_items=2))
    with TestClient(app) as c:
        big = example("11-mixed-projects.yaml")
        assert len(big) > 2000
        response = c.post("/v1/decide", content=big, headers=YAML)
        assert response.status_code == 413 and response.json()["errors"][0]["code"] == "E-LIMIT"
        three = b"\n".join([b'{"id": "a"}'] * 3)
        response = c.post("/v1/decide/batch", content=three, headers={"content-type": "application/x-ndjson"})
        assert response.status_code == 413
        response = c.post("/v1/decide/batch", content=b" " * 5000, headers=JSON)
        assert response.status_code == 413


def test_a_batch_that_is_not_an_array_is_refused_whole(client):
    response = client.post("/v1/decide/batch", content=b'{"id": "a"}', headers=JSON)
    assert response.status_code == 422
    response = client.post("/v1/decide/batch", content=b"[]", headers=JSON)
    assert response.status_code == 400


def test_requests_do_not_change_the_server(client):
    before = client.get("/v1/policy").json()
    for _ in range(3):
        client.post("/v1/decide?version=2001.1", content=example("01-us-frigate-direct.yaml"), headers=YAML)
        client.post("/v1/decide", content=b"{", headers=JSON)
    assert client.get("/v1/policy").json() == before


def test_the_page_routes_keep_the_same_body_limit():
    from starlette.testclient import TestClient

    app = create_app(limits=Limits(max_body_bytes=100))
    with TestClient(app) as c:
        for route in ("/ui/decide", "/ui/load", "/ui/case.yaml", "/ui/report"):
            response = c.post(route, content=b"{" + b" " * 200 + b"}", headers=JSON)
            assert response.status_code == 413, route
            assert response.json()["errors"][0]["code"] == "E-LIMIT", route
