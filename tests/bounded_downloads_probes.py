"""The fetch the bounded_downloads tests hand in, and the test's side of the downloads.

A ``Meter`` is a fetch (``meter`` for threads, ``meter.fetch_async`` for
asyncio) that notes every call inside it at once and returns only when the
test lets that url go. ``drive`` plays the test's side: it waits until as
many downloads as the limit allows are inside, lets one go, waits for the
next to come in, and so on. What the code under test does with its slots is
then seen, not hoped for: a missing semaphore shows every url inside at
once, a sequential loop never has two, batches never refill a slot while
the rest of their batch is held. Every wait is bounded: wrong code costs a
few seconds, never a hang. Shared state is guarded by one condition variable.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time
from typing import Any, Callable

from probes import Background, describe_exception, expect, fail, not_returned

HOLD = 6.0          # a held fetch gives up waiting for the test after this long


class Meter:  # pylint: disable=too-many-instance-attributes
    """A fetch that counts the calls inside it at once and returns when let go."""

    def __init__(self, failing: dict | None = None,
                 result: Callable[[Any], Any] = lambda url: f"page of {url}",
                 endings: Any = None, open_from_start: bool = False) -> None:
        self._cv = threading.Condition()
        self.failing = dict(failing or {})   # url -> the exception its fetch raises
        self.result = result
        self.endings = endings                # a probes.ThreadEndings, marked once per thread
        self.inside: list = []                # urls inside a fetch right now, in entry order
        self.entered: list = []
        self.ended: list = []
        self.ended_at: list[float] = []
        self.cancelled: list = []
        self.peak = 0
        self.open = open_from_start
        self._let_go: set = set()
        self._futures: dict = {}              # url -> (loop, future) of a held async call
        self._marked: set = set()

    # -- the fetch ------------------------------------------------------------------------

    def _enter(self, url: Any) -> bool:
        """Note ``url`` as inside; True when it may go on at once. Caller holds the lock."""
        self.inside.append(url)
        self.entered.append(url)
        self.peak = max(self.peak, len(self.inside))
        self._cv.notify_all()
        return self.open or url in self._let_go

    def _leave(self, url: Any) -> None:
        with self._cv:
            self.inside.remove(url)
            self.ended.append(url)
            self.ended_at.append(time.monotonic())
            self._cv.notify_all()

    def _outcome(self, url: Any) -> Any:
        if url in self.failing:
            raise self.failing[url]
        return self.result(url)

    def __call__(self, url: Any) -> Any:
        me = threading.current_thread()
        with self._cv:
            if self.endings is not None and me not in self._marked:
                self._marked.add(me)
                self.endings.mark()
            self._enter(url)
            self._cv.wait_for(lambda: self.open or url in self._let_go, HOLD)
        self._leave(url)
        return self._outcome(url)

    async def fetch_async(self, url: Any) -> Any:
        """The async fetch: awaits the test's go without blocking the loop."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        with self._cv:
            if self._enter(url):
                future.set_result(None)
            else:
                self._futures[url] = (loop, future)
        try:
            await asyncio.wait_for(future, HOLD)
        except asyncio.TimeoutError:
            pass
        except asyncio.CancelledError:
            with self._cv:
                self.cancelled.append(url)
            raise
        finally:
            self._leave(url)
        return self._outcome(url)

    # -- the test's side ------------------------------------------------------------------

    def let_go(self, url: Any) -> None:
        """Let the fetch of ``url`` return (now, or as soon as it is called)."""
        with self._cv:
            self._let_go.add(url)
            held = self._futures.pop(url, None)
            self._cv.notify_all()
        if held is not None:
            _settle(*held)

    def open_all(self) -> None:
        """Let every fetch, held or to come, return at once."""
        with self._cv:
            self.open = True
            held = list(self._futures.values())
            self._futures.clear()
            self._cv.notify_all()
        for loop, future in held:
            _settle(loop, future)

    def wait_until(self, condition: Callable[[], bool], timeout: float) -> bool:
        """Wait (at most ``timeout`` s) until ``condition()``, checked under the lock."""
        deadline = time.monotonic() + timeout
        with self._cv:
            while not condition():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cv.wait(min(left, 0.02))
            return True

    def snapshot(self) -> tuple[list, list]:
        """(urls inside now, urls ended so far)."""
        with self._cv:
            return list(self.inside), list(self.ended)


def _settle(loop: asyncio.AbstractEventLoop, future: asyncio.Future) -> None:
    def settle() -> None:
        if not future.done():
            future.set_result(None)
    try:
        loop.call_soon_threadsafe(settle)
    except RuntimeError:                    # that loop is closed already
        pass


def newest(urls: list) -> Callable[[list], Any]:
    """Pick the inside url latest in ``urls``: the first of the list ends last."""
    return lambda inside: max(inside, key=urls.index)


def oldest(urls: list) -> Callable[[list], Any]:
    """Pick the inside url earliest in ``urls``."""
    return lambda inside: min(inside, key=urls.index)


def last_of_all(keep: Any, urls: list) -> Callable[[list], Any]:
    """Pick the newest inside url, but ``keep`` only when it is alone: it ends last."""
    return lambda inside: max(inside, key=lambda u: (u != keep, urls.index(u)))


@dataclasses.dataclass
class Drive:
    """What the test saw while it let the downloads go one by one."""

    short_start: int | None = None    # fewer inside than the limit at the start: how many
    stalled: tuple | None = None      # (inside, ended) when a freed slot was not taken
    stuck: Any = None                 # a url let go that did not come out of fetch
    released: list = dataclasses.field(default_factory=list)


# The checks of one driven run read best in one place, step by step.
def drive(meter: Meter, call: Any, urls: list, limit: int,  # pylint: disable=too-many-arguments
          *, pick: Callable[[list], Any] | None = None, settle: float = 0.15,
          patience: float = 2.0) -> Drive:
    """Let the downloads of ``call`` (a probes.Background) go one at a time.

    Before each release, ``min(limit, urls not yet ended)`` fetches must be
    inside (``patience`` s at most); at the start, ``settle`` s more give any
    download beyond the limit the time to come in. Then one url (``pick``,
    the newest by default) is let go. Ends by letting every fetch go.
    """
    seen = Drive()
    pick = pick or newest(urls)
    first = True
    try:
        while not call.done:
            inside, ended = meter.snapshot()
            left = len(urls) - len(ended)
            if left <= 0:
                break
            want = min(limit, left)
            if not meter.wait_until(lambda w=want: len(meter.inside) >= w or call.done,
                                    patience):
                inside, ended = meter.snapshot()
                if first:
                    seen.short_start = len(inside)
                else:
                    seen.stalled = (inside, ended)
                break
            if call.done:
                break
            if first and want < left:       # room for one too many: give it time to come
                meter.wait_until(lambda w=want: len(meter.inside) > w or call.done, settle)
            first = False
            inside, _ = meter.snapshot()
            url = pick(inside)
            seen.released.append(url)
            meter.let_go(url)
            if not meter.wait_until(lambda u=url: u in meter.ended or call.done, patience):
                seen.stuck = url
                break
    finally:
        meter.open_all()
    return seen


class DownloadError(Exception):
    """What the test's failing fetches raise."""


def urls_of(n: int) -> list[str]:
    """``n`` distinct urls."""
    return [f"https://example.org/page/{i}" for i in range(n)]


def start(mod, urls: list, meter: Meter, limit: int, asynchronous: bool = False) -> Background:
    """download_all (or download_all_async on a new loop) in a background thread."""
    if asynchronous:
        return Background(lambda: asyncio.run(
            mod.download_all_async(urls, meter.fetch_async, limit)))
    return Background(mod.download_all, urls, meter, limit)


def name_of(asynchronous: bool) -> str:
    """The function's name, for messages."""
    return "download_all_async" if asynchronous else "download_all"


def check_drive(seen: Drive, meter: Meter, limit: int, asynchronous: bool = False) -> None:
    """Fail with what the driven run showed about the slots, worst first."""
    what = f"{name_of(asynchronous)}(urls, fetch, limit={limit})"
    loop_note = (" Is the event loop blocked (time.sleep, or a threading lock, inside a "
                 "coroutine)?" if asynchronous else "")
    if seen.stuck is not None:
        fail(f"{what}: a fetch the test let go did not return within 2 s.{loop_note}")
    expect(meter.peak <= limit, f"{what} ran {meter.peak} downloads at once: never more "
           f"than {limit}. Guard every fetch with ONE semaphore of {limit} slots, made once "
           "per call before the downloads start (a semaphore made inside each download "
           "limits nothing; Semaphore(limit + 1) is one too many).")
    if seen.short_start is not None:
        fail(f"{what} had only {seen.short_start} download(s) running at once while more "
             f"urls waited: {limit} must run together. One at a time (a plain loop, an "
             f"await per url) is not concurrent; Semaphore(limit - 1) is one short."
             f"{loop_note}")
    if seen.stalled is not None:
        inside, ended = seen.stalled
        fail(f"{what}: after a download ended, no new one started within 2 s while "
             f"{len(inside)} were still running and more urls waited ({len(ended)} "
             "downloads ended so far). A freed slot must be taken at once: do you start "
             "the downloads in batches of limit and wait for the whole batch?")


def finish(call: Background, what: str, timeout: float = 5.0):
    """The call's value once it returned; fails when it hangs or raises."""
    if not call.finished_within(timeout):
        fail(f"{what} {not_returned(call, timeout)}, after every fetch had "
             "returned: is a thread (or task) still waiting for a slot nobody gave back?")
    if call.error is not None:
        fail(f"{what} raised {describe_exception(call.error)}; every fetch returned normally.")
    return call.value
