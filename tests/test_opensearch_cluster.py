"""A three-node cluster on loopback: an index with 3 shards and 1 replica keeps answering with
all hits when a node is killed (SIGKILL), and an indexing run interrupted by the kill leaves,
once run again, every article indexed exactly once.

Runs where the single-node tests run (``$ZEITUNG_TEST_OPENSEARCH`` set: CI), starting its own
three nodes with scripts/opensearch/start.sh (3 x 512 MB heap, about a minute on 2 cores).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from search import NewsIndex
from tests.opensearch_node import SCRIPTS, node_request, opensearch_url  # noqa: F401

NODES = 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="zeitung-cluster-"))
        self.http = [_free_port() for _ in range(NODES)]
        self.transport = [_free_port() for _ in range(NODES)]
        self.states = [self.root / f"n{i}" for i in range(NODES)]
        self.procs: list[subprocess.Popen] = []

    def start(self) -> None:
        seeds = ",".join(f"127.0.0.1:{p}" for p in self.transport)
        names = ",".join(f"n{i}" for i in range(NODES))
        cluster = f"zeitung-cluster-{uuid.uuid4().hex[:8]}"
        for i in range(NODES):
            env = dict(
                os.environ,
                ZEITUNG_OPENSEARCH_HTTP_PORT=str(self.http[i]),
                ZEITUNG_OPENSEARCH_TRANSPORT_PORT=str(self.transport[i]),
                ZEITUNG_OPENSEARCH_NODE_NAME=f"n{i}",
                ZEITUNG_OPENSEARCH_SETTINGS=(
                    f"discovery.type= discovery.seed_hosts={seeds} "
                    f"cluster.initial_cluster_manager_nodes={names} cluster.name={cluster}"
                ),
            )
            self.procs.append(
                subprocess.Popen(
                    ["bash", str(SCRIPTS / "start.sh"), str(self.states[i])],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
        failed = []
        for i, proc in enumerate(self.procs):
            _, err = proc.communicate(timeout=300)
            if proc.returncode != 0:
                failed.append(f"n{i}: {err.strip()[-300:]}")
        if failed:
            raise RuntimeError("cluster did not start: " + "; ".join(failed))
        node_request(self.url(0), path=f"/_cluster/health?wait_for_nodes={NODES}&timeout=120s")

    def url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.http[i]}"

    def location(self, name: str, *, shards: int = 3, replicas: int = 1) -> str:
        hosts = ",".join(f"127.0.0.1:{p}" for p in self.http)
        return f"opensearch://{hosts}/{name}?shards={shards}&replicas={replicas}"

    def kill(self, i: int) -> None:
        pid = int((self.states[i] / "pid").read_text())
        os.kill(pid, signal.SIGKILL)
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)

    def stop(self) -> None:
        for state in self.states:
            subprocess.run(["bash", str(SCRIPTS / "stop.sh"), str(state)], check=False)
        subprocess.run(["rm", "-rf", str(self.root)], check=False)


@pytest.fixture(scope="module")
def cluster(opensearch_url: str) -> Iterator[Cluster]:  # noqa: F811 - the node says "run"
    c = Cluster()
    try:
        c.start()
        yield c
    finally:
        c.stop()


def _write_corpus(root: Path, files: int, per_file: int, tag: str) -> int:
    root.mkdir(parents=True)
    for f in range(files):
        lines = [
            f'{{"id": "{tag}-{f}-{n}", "title": "Meldung {f} {n}", '
            f'"text": "Bericht {tag} Nummer {f} {n} über Gaspreise und Wahlen."}}'
            for n in range(per_file)
        ]
        (root / f"feed{f:03d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return files * per_file


def test_killed_node_loses_no_hits_and_interrupted_indexing_resumes_exactly_once(
    cluster: Cluster, tmp_path: Path
) -> None:
    searched = cluster.location("zeitung-cluster-a")
    total_a = _write_corpus(tmp_path / "a", files=20, per_file=25, tag="alpha")
    idx = NewsIndex.create(searched)
    assert idx.update_from(tmp_path / "a").articles == total_a
    settings = node_request(cluster.url(1), path="/zeitung-cluster-a/_settings")
    (index_settings,) = [
        body["settings"]["index"] for body in settings.values()
    ]  # behind the alias
    assert (index_settings["number_of_shards"], index_settings["number_of_replicas"]) == ("3", "1")
    node_request(cluster.url(1), path="/_cluster/health/zeitung-cluster-a?wait_for_status=green")

    # A second index is being written when a node dies.
    written = cluster.location("zeitung-cluster-b")
    total_b = _write_corpus(tmp_path / "b", files=40, per_file=50, tag="beta")
    NewsIndex.create(written).close()
    cmd = [sys.executable, "-m", "search", "index", str(tmp_path / "b"), "--index", written]
    cmd += ["--commit-every", "100", "--workers", "1"]
    writer = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    progress = NewsIndex.open(written)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and writer.poll() is None and len(progress) < total_b // 4:
        time.sleep(0.2)

    cluster.kill(0)  # the first host of both locations: the clients move on to the others
    for query in ("Gaspreise", "alpha", "Wahlen NEAR/3 Gaspreise", '"Nummer 7"'):
        results = idx.search(query, limit=None, snippets=None)
        expected = total_a if query != '"Nummer 7"' else 25
        assert results.total == expected == len({h.id for h in results}), query

    assert writer.poll() is None, "the writer finished before it could be interrupted"
    writer.send_signal(signal.SIGKILL)  # the writer dies too, in the middle of its run
    writer.wait(timeout=60)
    NewsIndex.open(written).update_from(tmp_path / "b", workers=1)
    done = NewsIndex.open(written)
    hits = done.search("beta", limit=None, snippets=None)
    ids = [h.id for h in hits]
    assert len(done) == total_b == hits.total == len(ids) == len(set(ids))
