"""Bounded calls for the executor_futures tests: a call that hangs fails with a message.

Shared by the visible and the hidden tests; it imports pytest (through
probes), so the task functions child processes import stay in executor_tasks.
"""

from __future__ import annotations

from probes import Background, describe_exception, fail


def finished(call: Background, what: str, limit: float = 10.0) -> Background:
    """Wait for ``call`` (``limit`` s at most); fail with a message naming ``what`` if it hangs."""
    if not call.finished_within(limit):
        fail(f"{what} had not returned after {limit:.0f} s: is it waiting for a result "
             "that never comes, or for a call it should not wait for?")
    return call


def returned(call: Background, what: str):
    """The value of a finished ``call``; fail with a learner message if it raised."""
    if call.error is not None:
        fail(f"{what} raised {describe_exception(call.error)}.")
    return call.value


def bounded(func, *args, limit: float = 10.0):
    """``func(*args)`` in a daemon thread, waited for ``limit`` s at most; its value."""
    what = f"{func.__name__}{args!r}"[:120]
    return returned(finished(Background(func, *args), what, limit), what)
