"""The lexicon's disk cache: built once, read back, keyed by code, skipped when unwritable."""

from __future__ import annotations

import os

import pytest

from analyzers import lexicon as lx

SMALL = {"gas": 4.5, "preis": 5.2, "erdgas": 3.7}


@pytest.fixture
def builds(monkeypatch, tmp_path):
    """Count the (stubbed, small) builds; cache into a fresh folder."""
    calls = []

    def fake_load():
        calls.append(1)
        return dict(SMALL)

    monkeypatch.setattr(lx, "_load", fake_load)
    monkeypatch.setenv("ZEITUNG_CACHE_DIR", str(tmp_path / "cache"))
    return calls


def test_second_load_reads_the_cache(builds):
    assert lx.load_cached() == SMALL
    assert lx.load_cached() == SMALL
    assert len(builds) == 1
    assert lx.cache_path().exists()
    assert not [p for p in lx.cache_path().parent.iterdir() if p.suffix == ".tmp"]


def test_cache_file_named_by_wordfreq_version_and_code(builds, monkeypatch):
    first = lx.cache_path()
    assert "wordfreq" in first.name
    monkeypatch.setattr(lx, "CACHE_FORMAT", lx.CACHE_FORMAT + 1)
    assert lx.cache_path() != first


def test_corrupt_cache_is_rebuilt(builds):
    path = lx.cache_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00not marshal")
    assert lx.load_cached() == SMALL
    assert len(builds) == 1
    assert lx.load_cached() == SMALL
    assert len(builds) == 1  # the rebuilt table replaced the corrupt file


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_unwritable_cache_dir_falls_back_silently(builds, tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    monkeypatch.setenv("ZEITUNG_CACHE_DIR", str(locked / "zeitung"))
    assert lx.load_cached() == SMALL
    assert lx.load_cached() == SMALL
    assert len(builds) == 2


def test_cache_dir_is_a_file_falls_back_silently(builds, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("ZEITUNG_CACHE_DIR", str(blocker / "zeitung"))
    assert lx.load_cached() == SMALL
    assert len(builds) == 1


def test_xdg_cache_home(monkeypatch, tmp_path):
    monkeypatch.delenv("ZEITUNG_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert lx.cache_dir() == tmp_path / "zeitung"
