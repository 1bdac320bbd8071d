"""Guards on the project itself: one whoosh distribution, the README's commands, lint."""

from __future__ import annotations

import importlib.metadata
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.test_cli import COMMANDS

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_whoosh_comes_from_whoosh3_only() -> None:
    """Two distributions of ``whoosh`` overwrite each other's files: only whoosh3 may own it."""
    owners = importlib.metadata.packages_distributions().get("whoosh", [])
    assert sorted(set(owners)) == ["whoosh3"]
    assert importlib.metadata.version("whoosh3") == "3.54.0"


def _readme_commands() -> list[str]:
    block = re.search(r"## Set-up\n.*?```(?:sh|bash)?\n(.*?)```", README, re.S)
    assert block, "README has a Set-up section with a code block"
    return [line for line in block.group(1).splitlines() if line and not line.startswith("#")]


def test_readme_has_two_setup_commands_and_ci_runs_the_test_one() -> None:
    demo, tests = _readme_commands()
    assert "zeitung index corpus/" in demo and "zeitung search" in demo
    assert "pytest" in tests
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines(), ".ci/run runs exactly the README's test command"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented(command: str) -> None:
    assert f"zeitung {command}" in README


def test_ruff_is_clean() -> None:
    ruff = shutil.which("ruff") or str(Path(__import__("sys").executable).parent / "ruff")
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed")
    out = subprocess.run(
        [ruff, "check", "search", "analyzers", "tests", "benchmarks"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
