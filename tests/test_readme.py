"""Every example in README.md runs, as doctests guard docstrings (issue 15.20).

The Python blocks are run as scripts, and the shell examples that work offline on the demo
corpus (those written ``.venv/bin/zeitung …``, in the set-up block and in the text, and
complete ``zeitung …`` spans such as ``zeitung search Gaspreise -Kasachstan``; ``zeitung index
DIR`` is a template) through ``python -m search``, in README order, in a
directory holding ``corpus/`` as the repository root does. The old README's
``idx.get("agentur-1")`` (no such id in the demo corpus) failed here.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
RUNNABLE = ".venv/bin/zeitung "


def fenced_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.M | re.S)


def shell_examples(text: str) -> list[str]:
    """``.venv/bin/zeitung …`` commands: from ``sh`` blocks (split at ``&&``) and code spans."""
    commands = []
    for block in fenced_blocks(text, "sh"):
        for line in block.splitlines():
            commands += [part.strip() for part in line.split("&&")]
    prose = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    commands += re.findall(r"`([^`\n]+)`", prose)
    return [c for c in commands if c.startswith(RUNNABLE) or _complete_example(c)]


def _complete_example(span: str) -> bool:
    """``zeitung search Gaspreise -Kasachstan`` is an example; ``zeitung index DIR``,
    ``zeitung parse --json`` name a command (a placeholder in capitals, or no argument
    before the options)."""
    words = span.split()
    if words[:1] != ["zeitung"] or len(words) < 3:
        return False
    return not words[2].startswith("-") and not any(w.isupper() or "…" in w for w in words[2:])


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "corpus").symlink_to(CORPUS, target_is_directory=True)
    return tmp_path


def run_zeitung(command: str, cwd: Path) -> subprocess.CompletedProcess:
    args = shlex.split(command)[1:]  # .venv/bin/zeitung or zeitung: python -m search
    return subprocess.run(
        [sys.executable, "-m", "search", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_readme_has_examples_to_run() -> None:
    assert fenced_blocks(README, "python")
    examples = shell_examples(README)
    assert examples[0] == ".venv/bin/zeitung index corpus/"
    assert any("search" in c for c in examples[1:])


def test_readme_examples_run_on_the_demo_corpus(workdir: Path) -> None:
    """The Python blocks first, then the shell examples in the same directory (the index the
    Python example built is brought up to date, not built again: the demo corpus is indexed
    twice, not three times)."""
    for block in fenced_blocks(README, "python"):
        result = subprocess.run(
            [sys.executable, "-c", block],
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, f"{block}\n{result.stderr}"
        assert result.stdout.strip()
    for command in shell_examples(README):
        result = run_zeitung(command, workdir)
        assert result.returncode == 0, f"{command}\n{result.stderr}"
        if " search " in command:
            assert result.stdout.strip(), f"{command} found nothing"
