"""The OpenSearch node the OpenSearch tests run against (a real one, never a mock).

``$ZEITUNG_TEST_OPENSEARCH`` is its URL (``.ci/run`` starts a node and sets it), or ``start``
to have the tests start and stop one themselves (``scripts/opensearch/start.sh``: Java 17 and
Maven). Without it the tests skip with the reason, except in CI (``CI=true``), where a
missing or unreachable node fails them: there they must run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPTS = REPO / "scripts" / "opensearch"
ENV = "ZEITUNG_TEST_OPENSEARCH"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _unavailable(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"OpenSearch tests must run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def node_request(url: str, method: str = "GET", path: str = "/", body: object = None) -> dict:
    """One JSON request to the node (for checks the Zeitung API does not make)."""
    data = json.dumps(body).encode("utf-8") if body is not None else None
    req = urllib.request.Request(
        url + path, data=data, method=method, headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read() or b"{}")


@pytest.fixture(scope="session")
def opensearch_url() -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of a running node."""
    try:
        import opensearchpy  # noqa: F401
    except ImportError:
        _unavailable("opensearch-py is not installed (pip install -e '.[test]')")
    wanted = os.environ.get(ENV, "").strip()
    state: str | None = None
    if not wanted:
        _unavailable(
            f"no OpenSearch node: set {ENV}=http://127.0.0.1:PORT, or {ENV}=start to start one "
            "(needs Java 17 and Maven; see README, 'OpenSearch')"
        )
    if wanted == "start":
        if shutil.which("java") is None or shutil.which("javac") is None:
            _unavailable("no Java 17 (java/javac) to start an OpenSearch node")
        state = tempfile.mkdtemp(prefix="zeitung-opensearch-")
        out = subprocess.run(
            ["bash", str(SCRIPTS / "start.sh"), state], capture_output=True, text=True, check=False
        )
        if out.returncode != 0:
            subprocess.run(["bash", str(SCRIPTS / "stop.sh"), state], check=False)
            _unavailable(f"the OpenSearch node did not start: {out.stderr.strip()[-500:]}")
        wanted = out.stdout.strip().splitlines()[-1]
    try:
        node_request(wanted, path="/_cluster/health?wait_for_status=yellow&timeout=30s")
    except OSError as exc:
        _unavailable(f"no OpenSearch node answers at {wanted}: {exc}")
    try:
        yield wanted.rstrip("/")
    finally:
        if state is not None:
            subprocess.run(["bash", str(SCRIPTS / "stop.sh"), state], check=False)


def fresh_location(url: str, prefix: str = "zeitung-test") -> str:
    """An ``opensearch://`` location for an index name no test used before."""
    return url.replace("http://", "opensearch://", 1) + f"/{prefix}-{uuid.uuid4().hex[:12]}"


def drop(url: str, location: str) -> None:
    """Delete the indexes of *location* (its generations, behind the alias, and its lock
    index) if they exist."""
    name = location.rsplit("/", 1)[1].split("?")[0]
    try:
        node_request(url, "DELETE", f"/{name}*")
    except OSError:
        pass
