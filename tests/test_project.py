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


def _distribution(requirement: str) -> str:
    return re.split(r"[<>=!~\[;\s]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _with_requirements(dists: set[str]) -> set[str]:
    """*dists* and what they require in turn (no extras): what their install brings."""
    out, todo = set(), list(dists)
    while todo:
        dist = todo.pop()
        if dist in out:
            continue
        try:
            requirements = importlib.metadata.requires(dist) or []
        except importlib.metadata.PackageNotFoundError:  # another platform's (colorama)
            continue
        out.add(dist)
        for requirement in requirements:
            if "extra ==" not in requirement:
                todo.append(_distribution(requirement))
    return out


def test_the_product_imports_only_what_a_plain_install_brings() -> None:
    """A module-level import of ``search``/``analyzers`` comes from the standard library or a
    base dependency (``pip install -e .``, the README's first command, has nothing else); an
    import inside a function may also come from an optional extra, and one with an
    ``except ImportError`` fallback from anywhere. numpy was imported by
    search.stories and arrived only through the test extra's matplotlib."""
    import ast
    import sys
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    base = _with_requirements({_distribution(r) for r in project["dependencies"]})
    extras = {_distribution(r) for rs in project["optional-dependencies"].values() for r in rs}
    owners = importlib.metadata.packages_distributions()
    wrong = []
    for path in sorted([*(REPO / "search").rglob("*.py"), *(REPO / "analyzers").rglob("*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top_level = {id(node) for node in tree.body}
        guarded = {  # try: import x / except ImportError: a fallback, optional by design
            id(node)
            for t in ast.walk(tree)
            if isinstance(t, ast.Try) and any("ImportError" in ast.unparse(h) for h in t.handlers)
            for stmt in [*t.body, *t.handlers]
            for node in ast.walk(stmt)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            else:
                continue
            if id(node) in guarded:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in ("search", "analyzers"):
                    continue
                dists = {d.lower().replace("_", "-") for d in owners.get(top, [])}
                allowed = base if id(node) in top_level else base | extras
                if not dists & allowed:
                    wrong.append(f"{path.relative_to(REPO)}: {name} ({', '.join(dists) or '?'})")
    assert wrong == [], "\n".join(wrong)
