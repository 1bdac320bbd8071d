"""Parsing ahead of the writer is bounded: the main process never holds a whole archive."""

from __future__ import annotations

import threading
from multiprocessing.pool import ThreadPool

from hypothesis import given, settings
from hypothesis import strategies as st

from search.ingest import parse_ahead


def _run(sizes: list[int], parallel: int, budget: int) -> tuple[list[int], int]:
    """Consume parse_ahead slowly; return the results and the most tasks ever sent ahead
    of the consumer (sent but not yet consumed), counted in bytes."""
    sent: list[int] = []
    lock = threading.Lock()

    def parse(task: int) -> int:
        return task

    consumed = 0
    worst = 0
    results = []
    with ThreadPool(parallel) as pool:
        original = pool.apply_async

        def counting_apply_async(fn, args):  # noqa: ANN001, ANN202
            with lock:
                sent.append(args[0])
            return original(fn, args)

        pool.apply_async = counting_apply_async  # type: ignore[method-assign]
        for value in parse_ahead(
            pool, parse, [(i, size) for i, size in enumerate(sizes)], parallel, budget
        ):
            results.append(value)
            consumed += 1
            ahead = sum(sizes[i] for i in sent[consumed:])
            worst = max(worst, ahead)
    return results, worst


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(1, 100), max_size=40),
    st.integers(1, 4),
    st.integers(1, 300),
)
def test_results_in_order_and_bounded(sizes: list[int], parallel: int, budget: int) -> None:
    results, worst = _run(sizes, parallel, budget)
    assert results == list(range(len(sizes)))
    # Besides the results being consumed, at most the budget, or `parallel` tasks, wait.
    assert worst <= max(budget, parallel * 100)


def test_many_small_files_are_not_all_sent_at_once() -> None:
    _, worst = _run([10] * 1000, parallel=2, budget=50)
    assert worst <= 50


# -- grouping files into parser tasks ------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 5000), max_size=40),
    most_files=st.integers(1, 6),
    most_bytes=st.integers(1, 8000),
)
def test_parse_tasks_keep_order_and_bound_each_task(
    sizes: list[int], most_files: int, most_bytes: int
) -> None:
    """Tasks hold the files in order, at most ``most_files`` and ``most_bytes`` each (a
    bigger file alone), and a task ends only where the next file would not fit."""
    from pathlib import Path

    from search.ingest import FileState, parse_tasks

    jobs = [(Path(f"f{i}"), FileState(size, 0, str(i)), Path(".")) for i, size in enumerate(sizes)]
    tasks = list(parse_tasks(jobs, most_files, most_bytes))
    assert [job for group, _ in tasks for job in group] == jobs
    for n, (group, size) in enumerate(tasks):
        assert group and size == sum(job[1].size for job in group)
        assert len(group) <= most_files
        assert size <= most_bytes or len(group) == 1
        if n + 1 < len(tasks):
            following = tasks[n + 1][0][0][1].size
            assert len(group) == most_files or size + following > most_bytes
