"""Fixtures for the service: an in-process client and a real uvicorn server on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from server_support import ROOT, LiveServer  # noqa: E402


@pytest.fixture(scope="session")
def app():
    from icpolicy.server.app import create_app

    return create_app()


@pytest.fixture()
def client(app):
    from starlette.testclient import TestClient

    with TestClient(app) as c:
        yield c


@pytest.fixture()
def live_server_factory():
    started: list[LiveServer] = []

    def start(*args: str, cwd: Path = ROOT) -> LiveServer:
        server = LiveServer(*args, cwd=cwd)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
