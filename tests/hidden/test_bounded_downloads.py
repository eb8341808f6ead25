"""Hidden tests of topic 9, bounded_downloads: graded, never shipped to students."""

from __future__ import annotations

import asyncio

import pytest

from bounded_downloads_probes import (DownloadError, Meter, check_drive, drive, finish,
                                      last_of_all, name_of, newest, oldest, start, urls_of)
from probes import Background, SleepSpy, expect, fail, outcome


def driven(mod, n: int, limit: int, *, asynchronous: bool = False, pick=None):
    """A full driven run: (meter, call) once the call has ended; fails on what it saw."""
    urls, meter = urls_of(n), Meter()
    call = start(mod, urls, meter, limit, asynchronous)
    seen = drive(meter, call, urls, limit, pick=pick and pick(urls))
    check_drive(seen, meter, limit, asynchronous)
    return urls, meter, call


@pytest.mark.concept("limit_at_once")
@pytest.mark.points(2)
@pytest.mark.parametrize("asynchronous", [False, True], ids=["threads", "asyncio"])
def test_other_limits(mod, asynchronous):
    what = name_of(asynchronous)
    for n, limit, peak in ((4, 1, 1), (5, 5, 5), (3, 7, 3)):
        urls, meter, call = driven(mod, n, limit, asynchronous=asynchronous, pick=oldest)
        value = finish(call, f"{what}({n} urls, fetch, {limit})")
        expect(meter.peak == peak, f"{what}({n} urls, fetch, limit={limit}) ran at most "
               f"{meter.peak} downloads at once, expected {peak}"
               + (": a limit of at least len(urls) runs them all at once." if limit >= n
                  else "."))
        expect(value == [f"page of {u}" for u in urls],
               f"{what}({n} urls, fetch, {limit}) returned {value!r}.")


@pytest.mark.concept("slot_refills")
@pytest.mark.points(2)
@pytest.mark.parametrize("asynchronous", [False, True], ids=["threads", "asyncio"])
def test_thirty_urls_of_varying_length(mod, asynchronous):
    # The downloads end in an order of the test's choosing (the first url last),
    # as with real pages of varying size.
    urls, meter, call = driven(mod, 30, 4, asynchronous=asynchronous, pick=newest)
    value = finish(call, f"{name_of(asynchronous)}(30 urls, fetch, 4)")
    expect(meter.peak == 4, f"at most {meter.peak} of 30 downloads ran at once, expected 4.")
    expect(value == [f"page of {u}" for u in urls],
           f"{name_of(asynchronous)}(30 urls, fetch, 4) returned the pages out of order.")


FALSY = [None, 0, "", False, [], 0.0]


@pytest.mark.concept("results_in_order")
@pytest.mark.parametrize("asynchronous", [False, True], ids=["threads", "asyncio"])
def test_falsy_results_are_results(mod, asynchronous):
    urls = urls_of(len(FALSY))
    meter = Meter(result=lambda url: FALSY[urls.index(url)])
    call = start(mod, urls, meter, 2, asynchronous)
    seen = drive(meter, call, urls, 2, pick=newest(urls))
    check_drive(seen, meter, 2, asynchronous)
    value = finish(call, f"{name_of(asynchronous)}(urls, fetch, 2)")
    expect(isinstance(value, list) and [(type(v), v) for v in value]
           == [(type(v), v) for v in FALSY],
           f"{name_of(asynchronous)} returned {value!r} for pages {FALSY!r}: None, 0 and "
           "'' are results too - keep each at its url's index.")
    if asynchronous:
        empty = Background(lambda: asyncio.run(mod.download_all_async([], meter.fetch_async, 3)))
        expect(empty.finished_within(3.0) and empty.value == [] and empty.error is None,
               f"download_all_async([], fetch, 3) {outcome(empty)}: expected [].")


@pytest.mark.concept("failed_download")
@pytest.mark.points(2)
@pytest.mark.parametrize("asynchronous", [False, True], ids=["threads", "asyncio"])
def test_the_earliest_url_s_error_not_the_first_in_time(mod, asynchronous):
    # urls[5] fails long before urls[1], which ends last of all.
    urls = urls_of(6)
    errors = {urls[1]: DownloadError("page 1 failed"), urls[5]: DownloadError("page 5 failed")}
    meter = Meter(failing=errors)
    call = start(mod, urls, meter, 3, asynchronous)
    seen = drive(meter, call, urls, 3, pick=last_of_all(urls[1], urls))
    check_drive(seen, meter, 3, asynchronous)
    expect(call.finished_within(5.0), f"{name_of(asynchronous)} did not return within 5 s.")
    expect(call.error is errors[urls[1]], f"{name_of(asynchronous)} {outcome(call)}; "
           f"expected the error of {urls[1]!r}, the earliest failing url in the list "
           f"(that of {urls[5]!r} happened first in time).")
    expect(not meter.cancelled, f"{len(meter.cancelled)} downloads were cancelled: every "
           "download must finish before the error is raised.")


@pytest.mark.concept("failed_download")
@pytest.mark.points(2)
def test_async_failures_free_their_slots_and_cancel_nothing(mod):
    urls = urls_of(4)
    errors = {u: DownloadError(f"cannot fetch {u}") for u in urls}
    meter = Meter(failing=errors, open_from_start=True)
    call = start(mod, urls, meter, 1, asynchronous=True)
    if not call.finished_within(3.0):
        fail("download_all_async(4 urls, fetch, limit=1), every fetch raising, did not "
             f"return within 3 s; {len(meter.entered)} of 4 fetches were called: a fetch "
             "that raises must give its slot back (`async with semaphore:`).")
    expect(call.error is errors[urls[0]], f"download_all_async {outcome(call)}; expected "
           f"the DownloadError of the first url.")
    urls = urls_of(6)
    error = DownloadError("page 1 is gone")
    meter = Meter(failing={urls[1]: error})
    call = start(mod, urls, meter, 2, asynchronous=True)
    seen = drive(meter, call, urls, 2, pick=oldest(urls))
    check_drive(seen, meter, 2, asynchronous=True)
    expect(call.finished_within(5.0), "download_all_async did not return within 5 s.")
    late = [at for at in meter.ended_at if at > call.ended_at]
    expect(not late and len(meter.ended) == 6 and not meter.cancelled,
           f"download_all_async {outcome(call)} before every download had finished "
           f"({len(meter.cancelled)} cancelled, {len(late) or 6 - len(meter.ended)} still "
           "running): let every download finish, then raise the earliest error.")
    expect(call.error is error, f"download_all_async {outcome(call)}; expected the error "
           f"of {urls[1]!r}.")


@pytest.mark.concept("semaphore_per_call")
@pytest.mark.points(2)
@pytest.mark.parametrize("asynchronous", [False, True], ids=["threads", "asyncio"])
def test_two_calls_at_once_do_not_share_slots(mod, asynchronous):
    spy_meters = [Meter(), Meter()]
    lists = [[f"{u}?call={k}" for u in urls_of(4)] for k in range(2)]
    if asynchronous:
        async def both():
            return await asyncio.gather(
                *(mod.download_all_async(urls, meter.fetch_async, 2)
                  for urls, meter in zip(lists, spy_meters)))
        calls = [Background(lambda: asyncio.run(both()))]
    else:
        calls = [Background(mod.download_all, urls, meter, 2)
                 for urls, meter in zip(lists, spy_meters)]
    try:
        def ended() -> bool:
            return all(call.done for call in calls)

        full = [meter.wait_until(lambda m=meter: len(m.inside) >= 2 or ended(), 2.0)
                for meter in spy_meters]
        for meter in spy_meters:        # time for a third download to come in, if it may
            meter.wait_until(lambda m=meter: m.peak > 2 or ended(), 0.1)
        peaks = [meter.peak for meter in spy_meters]
    finally:
        for meter in spy_meters:
            meter.open_all()
    for call in calls:
        expect(call.finished_within(5.0), f"two {name_of(asynchronous)} calls at once did "
               "not both return within 5 s.")
    expect(all(full) and peaks == [2, 2], f"two {name_of(asynchronous)}(4 urls, fetch, 2) "
           f"calls at once ran {peaks} downloads each at most, expected 2 each: each call "
           "needs its own semaphore, made inside the call (one kept at module level is "
           "shared by every call).")
    values = calls[0].result() if asynchronous else [call.result() for call in calls]
    expect(values == [[f"page of {u}" for u in urls] for urls in lists],
           f"two calls at once returned {values!r}.")


@pytest.mark.concept("async_semaphore")
@pytest.mark.points(2)
def test_async_never_blocks_with_one_slot(mod, monkeypatch):
    spy = SleepSpy(monkeypatch, mod)
    urls, meter, call = driven(mod, 5, 1, asynchronous=True, pick=newest)
    value = finish(call, "download_all_async(5 urls, fetch, 1)")
    blocked = spy.in_loop()
    expect(not blocked, "download_all_async called time.sleep inside the event loop.")
    expect(meter.peak == 1 and value == [f"page of {u}" for u in urls],
           f"download_all_async(5 urls, fetch, 1) ran {meter.peak} at once and "
           f"returned {value!r}.")


@pytest.mark.concept("limit_at_once")
def test_negative_limit_is_refused(mod):
    meter = Meter(open_from_start=True)
    call = Background(mod.download_all, urls_of(2), meter, -1)
    expect(call.finished_within(3.0) and isinstance(call.error, ValueError),
           f"download_all(urls, fetch, -1) {outcome(call)}; expected ValueError.")
    run = Background(lambda: asyncio.run(mod.download_all_async(urls_of(2),
                                                                meter.fetch_async, 0)))
    expect(run.finished_within(3.0) and isinstance(run.error, ValueError),
           f"download_all_async(urls, fetch, 0) {outcome(run)}; expected ValueError: "
           "asyncio.Semaphore(0) never lets anyone in.")
    expect(not meter.entered, "fetch was called although the limit was below 1.")
