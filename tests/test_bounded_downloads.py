"""Visible tests of topic 9, bounded_downloads: run `make check T=bounded_downloads`."""

from __future__ import annotations

import asyncio

import pytest

from bounded_downloads_probes import (DownloadError, Meter, check_drive, drive, finish,
                                      newest, oldest, start, urls_of)
from probes import (Background, SleepSpy, ThreadEndings, check_silent_import,
                    describe_exception, expect, fail, outcome)


@pytest.mark.concept("limit_at_once")
@pytest.mark.points(3)
def test_exactly_limit_downloads_run_at_once(mod):
    urls, meter = urls_of(8), Meter()
    call = start(mod, urls, meter, 3)
    seen = drive(meter, call, urls, 3)
    check_drive(seen, meter, 3)
    value = finish(call, "download_all(8 urls, fetch, 3)")
    expect(meter.peak == 3, f"at most {meter.peak} downloads ran at once, expected 3.")
    expect(sorted(meter.entered) == sorted(urls), f"fetch was called for {len(meter.entered)} "
           "urls, expected each of the 8 once.")
    expect(value == [f"page of {u}" for u in urls], f"download_all returned {value!r}.")


@pytest.mark.concept("slot_refills")
@pytest.mark.points(2)
def test_a_freed_slot_is_taken_at_once(mod):
    # The test lets one download at a time end and waits for the next to start:
    # batches (start limit, wait for all of them) never start one while the rest
    # of their batch is held.
    urls, meter = urls_of(7), Meter()
    call = start(mod, urls, meter, 2)
    seen = drive(meter, call, urls, 2, pick=oldest(urls))
    check_drive(seen, meter, 2)
    finish(call, "download_all(7 urls, fetch, 2)")
    expect(meter.peak == 2, f"at most {meter.peak} downloads ran at once, expected 2.")


@pytest.mark.concept("results_in_order")
@pytest.mark.points(2)
def test_results_come_back_in_the_order_of_urls(mod):
    # The first url's download ends last.
    urls, meter = urls_of(6), Meter()
    call = start(mod, urls, meter, 3)
    seen = drive(meter, call, urls, 3, pick=newest(urls))
    check_drive(seen, meter, 3)
    value = finish(call, "download_all(6 urls, fetch, 3)")
    want = [f"page of {u}" for u in urls]
    if isinstance(value, list) and sorted(value) == sorted(want) and value != want:
        fail(f"download_all returned the pages in the order the downloads ended ({value}): "
             "return them in the order of urls - store each result at its url's index.")
    expect(value == want, f"download_all returned {value!r}, expected {want!r}.")
    empty = Background(mod.download_all, [], Meter(), 2)
    expect(empty.finished_within(3.0) and empty.result() == [],
           f"download_all([], fetch, 2) {outcome(empty)}: expected [].")


@pytest.mark.concept("failed_download")
@pytest.mark.points(2)
def test_a_failing_fetch_gives_its_slot_back(mod):
    urls = urls_of(4)
    errors = {u: DownloadError(f"cannot fetch {u}") for u in urls}
    meter = Meter(failing=errors, open_from_start=True)
    call = start(mod, urls, meter, 1)
    if not call.finished_within(3.0):
        fail(f"download_all(4 urls, fetch, limit=1), every fetch raising, did not return "
             f"within 3 s; {len(meter.entered)} of 4 fetches were called. A fetch that "
             "raises must give its slot back: `with semaphore:` releases it whatever "
             "happens (acquire() ... release() without `finally:` keeps it for good).")
    expect(sorted(meter.entered) == sorted(urls), f"only {len(meter.entered)} of 4 urls "
           "were fetched: a failing download must not stop the others.")
    expect(call.error is errors[urls[0]], f"download_all {outcome(call)}; expected the "
           f"DownloadError of the first url, {urls[0]!r}.")


@pytest.mark.concept("failed_download")
@pytest.mark.points(2)
def test_the_error_comes_after_every_download(mod):
    urls = urls_of(6)
    error = DownloadError("page 1 is gone")
    meter = Meter(failing={urls[1]: error})
    call = start(mod, urls, meter, 2)
    seen = drive(meter, call, urls, 2, pick=oldest(urls))
    check_drive(seen, meter, 2)
    expect(call.finished_within(5.0), "download_all did not return within 5 s.")
    late = [at for at in meter.ended_at if at > call.ended_at]
    expect(not late and len(meter.ended) == 6,
           f"download_all {outcome(call)} while {len(late) or 6 - len(meter.ended)} of 6 "
           "downloads had not ended yet: let every download finish (the others keep "
           "running at full width), join them all, then raise.")
    expect(call.error is error, f"download_all {outcome(call)}; expected the "
           f"DownloadError raised by fetch({urls[1]!r}).")


@pytest.mark.concept("join_every_thread")
@pytest.mark.points(2)
def test_every_thread_has_ended_on_return(mod):
    # Each fetching thread lingers 0.2 s as it ends: a call that does not join
    # its threads returns while they still run, every time.
    endings = ThreadEndings(linger=0.2)
    urls, meter = urls_of(5), Meter(endings=endings)

    def download_and_count():
        value = mod.download_all(urls, meter, 2)
        return value, endings.still_running

    call = Background(download_and_count)
    seen = drive(meter, call, urls, 2)
    check_drive(seen, meter, 2)
    value, running = finish(call, "download_all(5 urls, fetch, 2)")
    expect(running == 0, f"download_all returned while {running} of its threads were "
           "still running: join() every thread (or shut the executor down) before "
           "returning.")
    expect(value == [f"page of {u}" for u in urls], f"download_all returned {value!r}.")


@pytest.mark.concept("async_semaphore")
@pytest.mark.points(3)
def test_async_runs_exactly_limit_at_once(mod, monkeypatch):
    spy = SleepSpy(monkeypatch, mod)
    urls, meter = urls_of(8), Meter()
    call = start(mod, urls, meter, 3, asynchronous=True)
    seen = drive(meter, call, urls, 3)
    blocked = spy.in_loop()
    expect(not blocked, f"download_all_async called time.sleep({blocked[0] if blocked else ''})"
           " inside the event loop: that stops every task. Wait on the asyncio.Semaphore "
           "(`async with semaphore:`), never with time.sleep.")
    check_drive(seen, meter, 3, asynchronous=True)
    value = finish(call, "download_all_async(8 urls, fetch, 3)")
    expect(meter.peak == 3, f"at most {meter.peak} downloads ran at once, expected 3.")
    expect(value == [f"page of {u}" for u in urls], f"download_all_async returned "
           f"{value!r}: the pages must come back in the order of urls.")


@pytest.mark.concept("semaphore_per_call")
@pytest.mark.points(2)
def test_async_works_again_on_a_new_event_loop(mod):
    for run in ("first", "second"):
        urls, meter = urls_of(5), Meter()
        call = start(mod, urls, meter, 2, asynchronous=True)
        seen = drive(meter, call, urls, 2)
        expect(call.finished_within(5.0), f"the {run} asyncio.run(download_all_async(...)) "
               "did not return within 5 s.")
        if call.error is not None and "loop" in str(call.error):
            fail(f"the {run} asyncio.run(download_all_async(...)) raised "
                 f"{describe_exception(call.error)}: an asyncio.Semaphore kept from an "
                 "earlier call belongs to that call's event loop. Create the semaphore "
                 "inside download_all_async, once per call.")
        check_drive(seen, meter, 2, asynchronous=True)
        value = finish(call, f"the {run} download_all_async(5 urls, fetch, 2)")
        expect(value == [f"page of {u}" for u in urls],
               f"the {run} download_all_async returned {value!r}.")


@pytest.mark.concept("limit_at_once")
def test_a_limit_below_one_is_refused(mod):
    meter = Meter(open_from_start=True)
    call = Background(mod.download_all, urls_of(3), meter, 0)
    expect(call.finished_within(3.0), "download_all(urls, fetch, 0) did not return within "
           "3 s: a limit below 1 must raise ValueError at once (Semaphore(0) waits forever).")
    expect(isinstance(call.error, ValueError), f"download_all(urls, fetch, 0) "
           f"{outcome(call)}; expected ValueError.")
    run = Background(lambda: asyncio.run(mod.download_all_async(urls_of(3),
                                                                meter.fetch_async, 0)))
    expect(run.finished_within(3.0) and isinstance(run.error, ValueError),
           f"download_all_async(urls, fetch, 0) {outcome(run)}; expected ValueError.")
    expect(not meter.entered, f"fetch was called {len(meter.entered)} times with limit 0: "
           "check the limit before starting any download.")


@pytest.mark.concept("import_is_silent")
def test_importing_the_module_is_silent(mod, target_dir):
    check_silent_import(target_dir, "bounded_downloads",
                        lambda: mod.download_all(["x"], str, 1))
