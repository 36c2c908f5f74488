"""The policy cache (icpolicy/policy/cache.py, icpolicy/cachedir.py): a policy loaded from
the cache decides and explains exactly as one loaded afresh; a damaged, stale, untrusted
or unwritable cache is never trusted and never an error."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from strategies_cases import case_documents

from icpolicy import cachedir
from icpolicy.engine.versioned import compile_versions
from icpolicy.policy import cache, versions
from icpolicy.resources import default_policy_path

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "examples" / "cases" / "01-us-frigate-direct.yaml"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("ICPOLICY_CACHE_DIR", str(folder))
    monkeypatch.delenv("ICPOLICY_NO_CACHE", raising=False)
    cache.set_enabled(True)
    yield folder
    cache.set_enabled(False)


def _entries(folder: Path) -> list[Path]:
    kind = folder / cache.KIND
    return sorted(kind.glob("*.bin")) if kind.is_dir() else []


class _Builds:
    """Counts how often the policy is really built (parsed and checked) from its files."""

    def __init__(self, monkeypatch):
        self.count = 0
        real = versions.versions_from_documents

        def counting(documents):
            self.count += 1
            return real(documents)

        monkeypatch.setattr(versions, "versions_from_documents", counting)


def _load(path=None):
    return compile_versions(versions.load_versions(path or default_policy_path()))


def _fresh(path=None):
    cache.set_enabled(False)
    try:
        return _load(path)
    finally:
        cache.set_enabled(True)


@pytest.fixture(scope="module")
def both_loads(tmp_path_factory):
    """(fresh, from the cache) for the bundled policy; the second really read from the cache."""
    folder = tmp_path_factory.mktemp("cache")
    saved = os.environ.get("ICPOLICY_CACHE_DIR")
    os.environ["ICPOLICY_CACHE_DIR"] = str(folder)
    cache.set_enabled(True)
    try:
        _load()  # writes the entry
        assert len(_entries(folder)) == 1
        real = versions.versions_from_documents
        versions.versions_from_documents = None  # type: ignore[assignment]  # a build would fail
        try:
            cached = _load()
        finally:
            versions.versions_from_documents = real
        fresh = _fresh()
    finally:
        cache.set_enabled(False)
        if saved is None:
            os.environ.pop("ICPOLICY_CACHE_DIR", None)
        else:
            os.environ["ICPOLICY_CACHE_DIR"] = saved
    return fresh, cached


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=case_documents())
def test_a_cached_policy_decides_and_explains_as_a_fresh_one(both_loads, case):
    fresh, cached = both_loads
    for lang in ("en", "nb"):
        assert cached.evaluate(case).to_dict(lang=lang) == fresh.evaluate(case).to_dict(lang=lang)
    assert cached.evaluate(case, decisions=["ica_required"]).to_dict() == \
        fresh.evaluate(case, decisions=["ica_required"]).to_dict()


def test_a_cached_policy_keeps_the_checker_tables_on_its_own_nodes(both_loads):
    from icpolicy.lang import ast

    _, cached = both_loads
    for compiled in cached.versions:
        for decision in compiled.model.nodes.values():
            for rule in decision.rules:
                names = [n for n in ast.walk(rule.value.node) if isinstance(n, ast.Name)]
                assert all(id(n) in rule.value.checked.names for n in names)
                assert id(rule.value.node) in rule.value.checked.types


def test_the_second_load_reads_the_cache(cache_dir, monkeypatch):
    builds = _Builds(monkeypatch)
    _load()
    _load()
    assert builds.count == 1 and len(_entries(cache_dir)) == 1


@pytest.mark.parametrize("damage", ["truncate", "flip", "header", "empty", "garbage pickle"])
def test_a_damaged_entry_is_rebuilt_and_replaced(cache_dir, monkeypatch, damage):
    _load()
    [entry] = _entries(cache_dir)
    blob = entry.read_bytes()
    header, _, payload = blob.partition(b"\n")
    if damage == "truncate":
        entry.write_bytes(blob[: len(blob) // 2])
    elif damage == "flip":
        entry.write_bytes(blob[:-100] + bytes([blob[-100] ^ 1]) + blob[-99:])
    elif damage == "header":
        entry.write_bytes(b"not a cache entry\n" + payload)
    elif damage == "empty":
        entry.write_bytes(b"")
    else:  # a valid header over a payload that is no pickle of a policy
        junk = b"\x80\x05K\x01."  # pickle of the int 1
        entry.write_bytes(b"icpolicy-cache/1 %d %s\n" % (len(junk), cachedir.hashlib.sha256(junk).hexdigest().encode()) + junk)
    builds = _Builds(monkeypatch)
    policy = _load()
    assert builds.count == 1  # rebuilt, not trusted
    assert policy.evaluate(_case()).decisions["ica_required"].value is True
    assert cachedir._checked_payload(entry.read_bytes()) is not None  # written again, whole
    _load()
    assert builds.count == 1


def _case() -> dict:
    from icpolicy.yamlsource import read_file

    return read_file(str(CASE)).data


def _policy_copy(tmp_path: Path) -> Path:
    target = tmp_path / "bif"
    shutil.copytree(default_policy_path(), target)
    return target


def test_an_edited_policy_file_is_another_entry(cache_dir, tmp_path, monkeypatch):
    policy_dir = _policy_copy(tmp_path)
    before = _load(policy_dir)
    threshold = before.versions[-1].model.parameters["ica_threshold"].value
    text = (policy_dir / "policy.yaml").read_text(encoding="utf-8")
    assert "value: 100 MNOK" in text
    (policy_dir / "policy.yaml").write_text(text.replace("value: 100 MNOK", "value: 200 MNOK", 1), encoding="utf-8")
    after = _load(policy_dir)
    assert after.versions[-1].model.parameters["ica_threshold"].value == 2 * threshold
    assert len(_entries(cache_dir)) == 2


def test_a_changed_source_text_makes_the_entry_stale(cache_dir, tmp_path, monkeypatch):
    from icpolicy.diagnostics import IcpolicyError
    from icpolicy.policy import quotes

    policy_dir = _policy_copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    _load(policy_dir)
    [entry] = _entries(cache_dir)
    sources = cache.pickle.loads(cachedir._checked_payload(entry.read_bytes()))["sources"]
    assert sources and all(digest is not None for _, digest in sources)
    for path, _ in sources:  # the guide's words are gone: every quote of it fails
        Path(path).write_text("nothing quoted here\n", encoding="utf-8")
    quotes._read.cache_clear()
    with pytest.raises(IcpolicyError) as raised:
        _load(policy_dir)
    assert any(d.code == "E-QUOTE" for d in raised.value.diagnostics)


def test_an_unwritable_cache_directory_means_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("ICPOLICY_CACHE_DIR", str(blocker / "cache"))  # cannot be made
    cache.set_enabled(True)
    try:
        builds = _Builds(monkeypatch)
        _load()
        _load()
    finally:
        cache.set_enabled(False)
    assert builds.count == 2
    assert cachedir.write_entry(cache.KIND, "k", b"x") is False


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX ownership")
def test_a_cache_directory_others_may_write_is_not_read(cache_dir, monkeypatch):
    _load()
    os.chmod(cache_dir, 0o777)
    builds = _Builds(monkeypatch)
    _load()
    assert builds.count == 1
    os.chmod(cache_dir, 0o700)
    os.chmod(cache_dir / cache.KIND, 0o722)
    _load()
    assert builds.count == 2
    assert stat.S_IMODE(os.stat(cache_dir / cache.KIND).st_mode) == 0o722


def test_the_api_loads_afresh_unless_told(tmp_path, monkeypatch):
    import icpolicy

    monkeypatch.setenv("ICPOLICY_CACHE_DIR", str(tmp_path / "cache"))
    icpolicy.load_policy()
    assert not (tmp_path / "cache").exists()


def test_the_environment_variable_turns_the_cache_off(cache_dir, monkeypatch):
    monkeypatch.setenv("ICPOLICY_NO_CACHE", "1")
    _load()
    assert _entries(cache_dir) == []


def test_writes_are_atomic_and_leave_no_temporary_files(cache_dir):
    for n in range(3):
        assert cachedir.write_entry("test", f"k{n}", b"payload %d" % n)
    names = sorted(p.name for p in (cache_dir / "test").iterdir())
    assert names == ["k0.bin", "k1.bin", "k2.bin"]
    assert cachedir.read_entry("test", "k1") == b"payload 1"


def test_old_entries_are_pruned(cache_dir, monkeypatch):
    monkeypatch.setattr(cachedir, "MAX_ENTRIES", 3)
    for n in range(5):
        cachedir.write_entry("test", f"k{n}", b"x")
        os.utime(cache_dir / "test" / f"k{n}.bin", (1000 + n, 1000 + n))
    cachedir.write_entry("test", "k5", b"x")
    assert sorted(p.name for p in (cache_dir / "test").iterdir()) == ["k3.bin", "k4.bin", "k5.bin"]


def _run(*args, env_extra=None, cache_dir):
    env = {key: value for key, value in os.environ.items() if key != "ICPOLICY_NO_CACHE"}
    env.update({"ICPOLICY_CACHE_DIR": str(cache_dir), **(env_extra or {})})
    return subprocess.run([sys.executable, "-m", "icpolicy", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_eval_fills_the_cache_and_no_cache_leaves_it_alone(tmp_path):
    folder = tmp_path / "cache"
    plain = _run("eval", "--no-cache", "--format", "json", str(CASE), cache_dir=folder)
    assert plain.returncode == 0 and _entries(folder) == []
    first = _run("eval", "--format", "json", str(CASE), cache_dir=folder)
    second = _run("eval", "--format", "json", str(CASE), cache_dir=folder)
    assert len(_entries(folder)) == 1
    assert plain.stdout == first.stdout == second.stdout
    off = _run("eval", str(CASE), env_extra={"ICPOLICY_NO_CACHE": "1"}, cache_dir=tmp_path / "other")
    assert off.returncode == 0 and not (tmp_path / "other").exists()
