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
