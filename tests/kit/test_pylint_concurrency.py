"""Tests for the concurrency pylint plugin (grader.pylint_concurrency).

The plugin talks to learners, so a message on correct code is the worst bug
it can have. Every message therefore gets bad snippets that must produce
exactly that message on exactly that line, and tricky good snippets (the
correct idioms that look like the mistakes) that must produce nothing. The
reference solutions, the stubs and the catalog of correct alternatives must
stay silent, pylint must be able to load the plugin from its command line,
and ``check_source`` must never raise, whatever it is fed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import astroid
import pytest
from astroid import nodes
from pylint.lint import PyLinter
from pylint.testutils import CheckerTestCase, MessageTest

from grader import pylint_concurrency as plugin
from grader.pylint_concurrency import checker

ROOT = Path(__file__).resolve().parents[2]

# Text arguments that several messages share.
EVENT_FIX = "Block in the Event's wait() instead: it sleeps until the flag is set"
SLEEP_FIX = "Use `await asyncio.sleep(...)`, which lets the other tasks run meanwhile"
TO_THREAD_FIX = "Run it with `await asyncio.to_thread(...)` so the loop keeps going"
POOL_FIX = ("Use `with ... as pool:`, or call pool.close() and then pool.join() "
            "(or pool.terminate()) before returning")
THREAD_ARGS = {"kind": "thread", "section": "Functions as Threads"}
POOL_SECTION = "Higher Level API: ProcessPool"

# (id, code, [(symbol, node class or source text, line, args)]): one message a line.
BAD = [
    ("target-called", """\
        import threading
        from threading import Thread as T
        def countdown(n):
            total = 0
            for _ in range(n):
                total += 1
            return total
        def worker(i):
            print(i)
        def start(n):
            thread = threading.Thread(target=countdown(n))
            return [thread] + [T(target=worker(i)) for i in range(3)]
        """, [("thread-target-called", "countdown(n)", 11,
               {"cls": "Thread", "func": "countdown", **THREAD_ARGS}),
              ("thread-target-called", "worker(i)", 12,
               {"cls": "Thread", "func": "worker", **THREAD_ARGS})]),
    ("target-process", """\
        import multiprocessing as mp
        def work(x):
            return x * 2
        if __name__ == "__main__":
            p = mp.Process(target=work(3))
            p.start()
        """, [("thread-target-called", "work(3)", 5,
               {"cls": "Process", "func": "work", "kind": "process",
                "section": "Multiprocessing"})]),
    ("run-instead-of-start", """\
        import threading
        threading.Thread(target=print).run()
        class Ticker:
            def __init__(self, work):
                self.worker = threading.Thread(target=work)
            def go(self):
                self.worker.run()
        def start(work):
            thread = threading.Thread(target=work)
            thread.run()
            for t in [threading.Thread(target=work) for _ in range(3)]:
                t.run()
        """, [("thread-run-called", nodes.Call, 2,
               {"recv": "threading.Thread(target=print)", **THREAD_ARGS}),
              ("thread-run-called", nodes.Call, 7, {"recv": "self.worker", **THREAD_ARGS}),
              ("thread-run-called", nodes.Call, 10, {"recv": "thread", **THREAD_ARGS}),
              ("thread-run-called", nodes.Call, 12, {"recv": "t", **THREAD_ARGS})]),
    ("acquire-no-finally", """\
        import threading
        lock = threading.Lock()
        class Counter:
            def __init__(self):
                self._lock = threading.Lock()
                self.value = 0
            def increment(self, amount=1):
                self._lock.acquire()
                self.value = self.value + amount
                self._lock.release()
        def add(items, item):
            lock.acquire()
            items.append(item)
            lock.release()
        """, [("lock-without-with", nodes.Call, 8,
               {"lock": "self._lock", "section": "Mutex Locks"}),
              ("lock-without-with", nodes.Call, 12, {"lock": "lock", "section": "Mutex Locks"})]),
    ("new-lock-per-call", """\
        import threading
        class Counter:
            def increment(self, amount=1):
                with threading.Lock():
                    self.value = self.value + amount
            def decrement(self):
                lock = threading.RLock()
                with lock:
                    self.value -= 1
        """, [("lock-created-per-use", nodes.Call, 4,
               {"what": "`with threading.Lock():`", "section": "Mutex Locks"}),
              ("lock-created-per-use", nodes.Call, 7,
               {"what": "lock = threading.RLock() in decrement()", "section": "Mutex Locks"})]),
    ("local-lock-acquire", """\
        from threading import Lock
        def increment(counter):
            lock = Lock()
            lock.acquire()
            try:
                counter.value += 1
            finally:
                lock.release()
        """, [("lock-created-per-use", nodes.Call, 3,
               {"what": "lock = Lock() in increment()", "section": "Mutex Locks"})]),
    ("spin-pass-and-sleep-zero", """\
        import time
        def worker(go, out, index):
            while not go.is_set():
                pass
            while not go.is_set():
                time.sleep(0)
            out(index)
        """, [("busy-wait", nodes.While, 3,
               {"cond": "go.is_set()", "fix": EVENT_FIX, "section": "Coordinating Threads"}),
              ("busy-wait", nodes.While, 5,
               {"cond": "go.is_set()", "fix": EVENT_FIX, "section": "Coordinating Threads"})]),
    ("spin-status-and-flags", """\
        def poll(result, waiter, t, stop):
            while not result.ready():
                ...
            while waiter.running:
                continue
            while t.is_alive() and not stop.is_set():
                pass
        """, [("busy-wait", nodes.While, 2,
               {"cond": "result.ready()", "section": "Pool: apply_async()",
                "fix": "Call wait() on the result, or sleep between checks as the "
                       "lecture's loop does"}),
              ("busy-wait", nodes.While, 4,
               {"cond": "waiter.running", "section": "Coordinating Threads",
                "fix": "Use a threading.Event and block in its wait() instead of polling "
                       "a flag"}),
              ("busy-wait", nodes.While, 6,
               {"cond": "t.is_alive() and not stop.is_set()", "section": "Joining a Thread",
                "fix": "Call join() instead: it sleeps until the thread ends"})]),
    ("coroutine-time-sleep", """\
        import time
        from time import sleep
        async def fetch(delay, value):
            time.sleep(delay)
            sleep(0.1)
            return value
        """, [("blocking-call-in-coroutine", nodes.Call, 4,
               {"call": "time.sleep(...)", "func": "fetch", "fix": SLEEP_FIX,
                "section": "Async"}),
              ("blocking-call-in-coroutine", nodes.Call, 5,
               {"call": "sleep(...)", "func": "fetch", "fix": SLEEP_FIX, "section": "Async"})]),
    ("coroutine-io", """\
        import subprocess
        import requests
        async def load(url):
            page = requests.get(url)
            name = input()
            subprocess.run(["ls"])
            return page, name
        """, [("blocking-call-in-coroutine", nodes.Call, 4,
               {"call": "requests.get(...)", "func": "load", "fix": TO_THREAD_FIX,
                "section": "Async"}),
              ("blocking-call-in-coroutine", nodes.Call, 5,
               {"call": "input()", "func": "load", "fix": TO_THREAD_FIX, "section": "Async"}),
              ("blocking-call-in-coroutine", nodes.Call, 6,
               {"call": "subprocess.run(...)", "func": "load", "fix": TO_THREAD_FIX,
                "section": "Async"})]),
    ("coroutine-join-result", """\
        import threading
        from concurrent.futures import ThreadPoolExecutor
        async def mixed(work):
            t = threading.Thread(target=work)
            t.start()
            t.join()
            executor = ThreadPoolExecutor()
            return executor.submit(work).result()
        """, [("blocking-call-in-coroutine", nodes.Call, 6,
               {"call": "t.join()", "func": "mixed", "section": "Async",
                "fix": "Await `asyncio.to_thread(t.join)` instead, or wait for an "
                       "asyncio task"}),
              ("blocking-call-in-coroutine", nodes.Call, 8,
               {"call": "executor.submit(work).result()", "func": "mixed", "section": "Async",
                "fix": "Await it instead: `await asyncio.wrap_future(future)` or "
                       "loop.run_in_executor"})]),
    ("not-awaited", """\
        import asyncio
        async def other():
            return "two"
        async def first():
            other()
            asyncio.sleep(1)
            pending = other()
            return 1
        first()
        """, [("coroutine-not-awaited", nodes.Call, 5,
               {"call": "other()", "fix": "Write `await other()`", "section": "Async"}),
              ("coroutine-not-awaited", nodes.Call, 6,
               {"call": "asyncio.sleep(...)", "fix": "Write `await asyncio.sleep(...)`",
                "section": "Async"}),
              ("coroutine-not-awaited", nodes.Call, 7,
               {"call": "other()", "fix": "Write `await other()`", "section": "Async"}),
              ("coroutine-not-awaited", nodes.Call, 9,
               {"call": "first()", "section": "Async",
                "fix": "Run it with asyncio.run(first()), or await it from another "
                       "coroutine"})]),
    ("not-awaited-method", """\
        class Cache:
            async def refresh(self):
                return 1
            async def get(self):
                self.refresh()
        """, [("coroutine-not-awaited", nodes.Call, 5,
               {"call": "self.refresh()", "fix": "Write `await self.refresh()`",
                "section": "Async"})]),
    ("pool-nested-function", """\
        import multiprocessing.pool
        def submit_all(pool: multiprocessing.pool.Pool, func, args_list):
            def call(args):
                return func(*args)
            return [pool.apply_async(call, (args,)) for args in args_list]
        """, [("unpicklable-pool-callable", "call", 5,
               {"what": "The nested function `call`", "section": "Multiprocessing"})]),
    ("pool-lambda", """\
        import multiprocessing
        def doubled(xs):
            with multiprocessing.Pool(2) as pool:
                return pool.map(lambda x: x * 2, xs)
        def launch():
            p = multiprocessing.Process(target=lambda: print("hi"))
            p.start()
        """, [("unpicklable-pool-callable", nodes.Lambda, 4,
               {"what": "A lambda", "section": "Multiprocessing"}),
              ("unpicklable-pool-callable", nodes.Lambda, 6,
               {"what": "A lambda", "section": "Multiprocessing"})]),
    ("executor-nested", """\
        from concurrent.futures import ProcessPoolExecutor
        def run(x):
            def square():
                return x * x
            with ProcessPoolExecutor() as ex:
                return ex.submit(square).result()
        """, [("unpicklable-pool-callable", "square", 6,
               {"what": "The nested function `square`", "section": "Multiprocessing"})]),
    ("context-pool-partial", """\
        import functools
        import multiprocessing
        def run(x):
            def helper(y):
                return y
            ctx = multiprocessing.get_context("spawn")
            with ctx.Pool(2) as pool:
                return pool.apply_async(functools.partial(helper, x)).get()
        """, [("unpicklable-pool-callable", "functools.partial(helper, x)", 8,
               {"what": "A functools.partial of the nested function `helper`",
                "section": "Multiprocessing"})]),
    ("pool-local-class-method", """\
        import multiprocessing
        def run(xs):
            class Scaler:
                def scale(self, x):
                    return x * 2
            scaler = Scaler()
            with multiprocessing.Pool() as pool:
                return pool.map(scaler.scale, xs)
        """, [("unpicklable-pool-callable", "scaler.scale", 8,
               {"what": "The method `scaler.scale` of the class Scaler, defined inside a "
                        "function,", "section": "Multiprocessing"})]),
    ("pool-left-running", """\
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        def submit_all(pool, func, args_list):
            return [pool.apply_async(func, args) for args in args_list]
        def parallel_map(func, args_list, processes=None):
            pool = multiprocessing.Pool(processes)
            return [r.get() for r in submit_all(pool, func, args_list)]
        def closed_only(func, xs):
            pool = multiprocessing.Pool()
            values = pool.map(func, xs)
            pool.close()
            return values
        def run(func, xs):
            ex = ProcessPoolExecutor()
            return list(ex.map(func, xs)) + multiprocessing.Pool(2).map(func, xs)
        """, [("pool-without-cleanup", nodes.Call, 6,
               {"name": "pool", "problem": "is never closed, joined or terminated",
                "func": "parallel_map", "fix": POOL_FIX, "section": POOL_SECTION}),
              ("pool-without-cleanup", nodes.Call, 9,
               {"name": "pool", "problem": "is closed but never joined",
                "func": "closed_only", "fix": POOL_FIX, "section": POOL_SECTION}),
              ("pool-without-cleanup", nodes.Call, 14,
               {"name": "ex", "problem": "is never closed, joined or terminated",
                "func": "run", "section": POOL_SECTION,
                "fix": "Use `with ... as ex:` or call ex.shutdown() before returning"}),
              ("pool-without-cleanup", "multiprocessing.Pool(2)", 15,
               {"name": "multiprocessing.Pool(...)", "func": "run",
                "problem": "is never closed, joined or terminated", "section": POOL_SECTION,
                "fix": "Create it with `with ... as pool:` and call the method on pool"})]),
    ("module-pool", """\
        import multiprocessing
        def add(x, y):
            return x + y
        pool = multiprocessing.Pool()
        print(pool.apply(add, (3, 4)))
        """, [("missing-main-guard", nodes.Call, 4,
               {"what": "multiprocessing.Pool(...)", "section": "Multiprocessing"})]),
    ("module-process", """\
        from multiprocessing import Process
        def worker(i):
            print(i)
        for i in range(3):
            p = Process(target=worker, args=(i,))
            p.start()
        """, [("missing-main-guard", nodes.Call, 5,
               {"what": "Process(...)", "section": "Multiprocessing"})]),
    ("pool-value-called", """\
        import multiprocessing
        def add(x, y):
            return x + y
        def run():
            with multiprocessing.Pool() as pool:
                return pool.apply_async(add(3, 4)).get()
        """, [("pool-callable-called", "add(3, 4)", 6,
               {"call": "pool.apply_async(add(...))", "func": "add",
                "method": "pool.apply_async", "section": "Pool: apply()"})]),
    ("status-methods-uncalled", """\
        def countdown(n, out, stop, threads):
            for i in range(n, 0, -1):
                if stop.is_set:
                    break
                out(i)
            return [t for t in threads if t.is_alive]
        """, [("method-not-called", nodes.Attribute, 3,
               {"expr": "stop.is_set", "section": "Coordinating Threads"}),
              ("method-not-called", nodes.Attribute, 6,
               {"expr": "t.is_alive", "section": "Joining a Thread"})]),
    ("done-uncalled-proven", """\
        class Job:
            def done(self):
                return True
        def check():
            job = Job()
            if not job.done:
                return 1
            return 0
        """, [("method-not-called", nodes.Attribute, 6,
               {"expr": "job.done", "section": "Async"})]),
    ("start-join-loop", """\
        import multiprocessing
        import threading
        def run_all(funcs):
            threads = [threading.Thread(target=f) for f in funcs]
            for thread in threads:
                thread.start()
                thread.join()
            for i in range(3):
                p = multiprocessing.Process(target=print, args=(i,))
                p.start()
                p.join()
        """, [("start-join-same-loop", nodes.Call, 7,
               {"recv": "thread", "kind": "thread", "section": "Joining a Thread"}),
              ("start-join-same-loop", nodes.Call, 11,
               {"recv": "p", "kind": "process", "section": "Joining a Thread"})]),
    ("late-lambda", """\
        import threading
        def start_workers(names, worker):
            threads = [threading.Thread(target=lambda: worker(i)) for i in range(3)]
            for name in names:
                t = threading.Thread(target=lambda: worker(name))
                t.start()
                threads.append(t)
            return threads
        """, [("late-binding-thread-target", nodes.Lambda, 3, {"var": "i", **THREAD_ARGS}),
              ("late-binding-thread-target", nodes.Lambda, 5,
               {"var": "name", **THREAD_ARGS})]),
    ("split-read-locked", """\
        import threading
        class Counter:
            def __init__(self):
                self._lock = threading.Lock()
                self.value = 0
            def increment(self, amount=1):
                with self._lock:
                    current = self.value
                self.value = current + amount
        """, [("lock-split-update", nodes.AssignAttr, 9,
               {"attr": "self.value", "lock": "self._lock", "section": "Race Conditions"})]),
    ("split-write-locked", """\
        class Counter:
            def increment(self, amount=1):
                new_value = self.value + amount
                with self._lock:
                    self.value = new_value
        def increment(box, mutex):
            with mutex:
                seen = box.count
            with mutex:
                box.count = seen + 1
        """, [("lock-split-update", nodes.AssignAttr, 5,
               {"attr": "self.value", "lock": "self._lock", "section": "Race Conditions"}),
              ("lock-split-update", nodes.AssignAttr, 10,
               {"attr": "box.count", "lock": "mutex", "section": "Race Conditions"})]),
    ("apply-in-loop", """\
        import multiprocessing
        def parallel_map(func, args_list):
            with multiprocessing.Pool() as pool:
                return [pool.apply(func, args) for args in args_list]
        """, [("sequential-pool-calls", nodes.Call, 4,
               {"call": "pool.apply(...)", "section": "Pool: apply()"})]),
    ("submit-then-wait", """\
        import multiprocessing.pool
        from concurrent.futures import ThreadPoolExecutor
        def submit_all(pool: multiprocessing.pool.Pool, func, args_list):
            results = []
            for args in args_list:
                result = pool.apply_async(func, args)
                result.wait()
                results.append(result)
            with ThreadPoolExecutor() as ex:
                for args in args_list:
                    results.append(ex.submit(func, *args).result())
            return results
        """, [("sequential-pool-calls", nodes.Call, 7,
               {"call": "result.wait()", "section": "Pool: apply_async()"}),
              ("sequential-pool-calls", "ex.submit(func, *args).result()", 11,
               {"call": "ex.submit(func, *args).result()", "section": "Pool: apply_async()"})]),
    ("loop-never-closed", """\
        import asyncio
        def run(coro):
            loop = asyncio.new_event_loop()
            return loop.run_until_complete(coro)
        """, [("event-loop-not-closed", nodes.Call, 3,
               {"name": "loop", "func": "run", "section": "Async Demo"})]),
]

# Correct code, much of it looking like the mistakes above: nothing to report.
GOOD = {
    "target-factories": """\
        import functools
        import threading
        def work(i):
            return i
        def make_worker(i):
            def worker():
                return i
            return worker
        def identity(func):
            return func
        class Obj:
            def method(self):
                return 1
        def start(n, obj):
            threads = [threading.Thread(target=make_worker(i)) for i in range(n)]
            threads.append(threading.Thread(target=functools.partial(work, 1)))
            threads.append(threading.Thread(target=identity(work)))
            threads.append(threading.Thread(target=getattr(obj, "method")))
            threads.append(threading.Thread(target=Obj().method, name=str(n)))
            for thread in threads:
                thread.start()
            return threads
        """,
    "run-lookalikes": """\
        import asyncio
        import threading
        class Worker(threading.Thread):
            def run(self):
                super().run()
                threading.Thread.run(self)
        def run(coro):
            with asyncio.Runner() as runner:
                return runner.run(coro)
        def drive(coro):
            loop = asyncio.new_event_loop()
            try:
                return loop.run_until_complete(coro)
            finally:
                loop.close()
        def start(work):
            worker = Worker(target=work)
            worker.start()
            return worker
        """,
    "acquire-with-finally": """\
        import threading
        class Counter:
            _lock = threading.Lock()
            def __init__(self):
                self.value = 0
            def plain(self):
                Counter._lock.acquire()
                try:
                    self.value += 1
                finally:
                    Counter._lock.release()
            def with_timeout(self):
                if self._lock.acquire(timeout=1.0):
                    try:
                        self.value += 1
                    finally:
                        self._lock.release()
            def non_blocking(self):
                if not self._lock.acquire(blocking=False):
                    return False
                try:
                    self.value += 1
                finally:
                    self._lock.release()
                return True
            def inside_try(self):
                try:
                    self._lock.acquire()
                    self.value += 1
                finally:
                    self._lock.release()
            def __enter__(self):
                self._lock.acquire()
                return self
            def __exit__(self, *exc):
                self._lock.release()
            def take(self):
                self._lock.acquire()
            def give(self):
                self._lock.release()
        """,
    "locks-shared": """\
        import threading
        class Counter:
            def __init__(self):
                self._lock = threading.Lock()
                self._cond = threading.Condition(self._lock)
                self.value = 0
            def increment(self, amount=1):
                with self._lock:
                    current = self.value
                    self.value = current + amount
            def wait_for(self, target):
                with threading.Condition(self._lock) as cond:
                    cond.wait_for(lambda: self.value >= target)
        def hammer(counter, n):
            lock = threading.Lock()
            def work():
                with lock:
                    counter.value += 1
            threads = [threading.Thread(target=work) for _ in range(n)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        def make_lock():
            lock = threading.Lock()
            with lock:
                pass
            return lock
        def keep(registry):
            lock = threading.RLock()
            registry["lock"] = lock
            with lock:
                pass
        """,
    "waiting-right": """\
        import time
        def worker(go, out, index):
            go.wait()
            out(index)
        def timed(go, out):
            while not go.wait(0.1):
                pass
            out(1)
        def periodic(stop, do_work, interval):
            while not stop.is_set():
                do_work()
                stop.wait(interval)
        def poll(result, interval=0.1):
            while not result.ready():
                time.sleep(interval)
            return result.get()
        def drain(q, handle):
            while not q.empty():
                handle(q.get())
        def forever(stop, tick):
            while True:
                if stop.is_set():
                    break
                tick()
        """,
    "async-right": """\
        import asyncio
        import time
        async def other():
            return "two"
        async def first(out):
            out("one")
            out(await other())
            pending = other()
            out(await pending)
            await asyncio.sleep(0.1)
            await asyncio.to_thread(time.sleep, 1)
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, lambda: time.sleep(1))
            def helper():
                time.sleep(1)
            await asyncio.to_thread(helper)
            task = asyncio.ensure_future(other())
            await asyncio.wait({task}, timeout=1)
            return task.result()
        async def fan_out():
            task = asyncio.create_task(other())
            await asyncio.gather(other(), other())
            await asyncio.wait_for(other(), 1)
            coros = [other() for _ in range(3)]
            await asyncio.gather(*coros)
            async with asyncio.TaskGroup() as group:
                group.create_task(other())
            asyncio.ensure_future(other())
            print(other)
            await task
            return other()
        def main():
            asyncio.run(first(print))
            loop = asyncio.new_event_loop()
            try:
                loop.run_until_complete(fan_out())
            finally:
                loop.close()
        def runner(coro):
            return asyncio.get_event_loop().run_until_complete(coro)
        async def ticks():
            yield 1
        async def consume():
            ticks()
            async for tick in ticks():
                print(tick)
        """,
    "pools-right": """\
        import multiprocessing
        import multiprocessing.pool
        from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
        def add(x, y):
            return x + y
        def square(x):
            return x * x
        def submit_all(pool: multiprocessing.pool.Pool, func, args_list):
            return list(map(lambda args: pool.apply_async(func, args), args_list))
        def parallel_map(xs):
            with multiprocessing.Pool(2) as pool:
                values = pool.map(square, xs)
                pool.close()
                pool.join()
            with ProcessPoolExecutor() as ex:
                values += list(ex.map(square, xs))
            ctx = multiprocessing.get_context("spawn")
            with ctx.Pool(2) as pool:
                values.append(pool.apply_async(add, (1, 2)).get())
            return values
        def threads_may_take_lambdas(xs):
            def nested(x):
                return x
            with ThreadPoolExecutor() as ex:
                ex.submit(lambda: 1)
                ex.map(nested, xs)
            with multiprocessing.pool.ThreadPool(2) as pool:
                pool.map(lambda x: x, xs)
            return list(map(lambda x: x, xs))
        def cleaned(xs):
            pool = multiprocessing.Pool(2)
            try:
                return pool.map(square, xs)
            finally:
                pool.terminate()
                pool.join()
        def closed(xs):
            pool = multiprocessing.Pool(2)
            values = pool.map(square, xs)
            pool.close()
            pool.join()
            return values
        def shut(xs):
            ex = ProcessPoolExecutor()
            try:
                return list(ex.map(square, xs))
            finally:
                ex.shutdown()
        def make_pool(n):
            pool = multiprocessing.Pool(n)
            return pool
        _POOLS = {}
        def cached(n):
            pool = _POOLS[n] = multiprocessing.Pool(n)
            return pool
        class Service:
            def __init__(self):
                self.pool = multiprocessing.Pool(2)
            def extra(self, registry):
                pool = multiprocessing.Pool(2)
                registry.append(pool)
        def owned(stack):
            pool = multiprocessing.Pool(2)
            stack.enter_context(pool)
        def global_pool():
            global POOL
            POOL = multiprocessing.Pool(2)
        """,
    "main-guarded": """\
        import multiprocessing
        import threading
        def add(x, y):
            return x + y
        def worker(i):
            print(i)
        helper = threading.Thread(target=worker, args=(0,))
        helper.start()
        helper.join()
        def main():
            with multiprocessing.Pool() as p:
                print(p.apply(add, (3, 4)))
        if __name__ == "__main__":
            p = multiprocessing.Pool()
            r = p.apply_async(add, (3, 4))
            print(r.get())
            for i in range(3):
                proc = multiprocessing.Process(target=worker, args=(i,))
                proc.start()
        """,
    "methods-called": """\
        class Job:
            def __init__(self):
                self.done = False
            @property
            def ready(self):
                return self.done
        def check(job, stop, threads):
            if stop.is_set():
                return [t for t in threads if t.is_alive()]
            if job.done or job.ready:
                return []
            return None
        """,
    "start-join-right": """\
        import threading
        def run_all(batches):
            for funcs in batches:
                threads = [threading.Thread(target=f) for f in funcs]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
        def watchdog(tests):
            for test in tests:
                t = threading.Thread(target=test, daemon=True)
                t.start()
                t.join(timeout=5)
        def bound(n, worker):
            made = [threading.Thread(target=lambda i=i: worker(i)) for i in range(n)]
            made += [threading.Thread(target=worker, args=(i,)) for i in range(n)]
            for i in range(n):
                t = threading.Thread(target=lambda: worker(i))
                t.start()
                t.join(1)
            return made
        """,
    "split-right": """\
        class Counter:
            def add(self, amount):
                with self._lock:
                    current = self.value
                    self.value = current + amount
                return self.value
            def compare_and_set(self, amount):
                with self._lock:
                    seen = self.value
                new = seen + amount
                with self._lock:
                    if self.value == seen:
                        self.value = new
            def snapshot(self):
                with self._lock:
                    items = list(self.items)
                self.view = items
        """,
    "pool-loops-right": """\
        import multiprocessing
        def add(x, y):
            return x + y
        def parallel_map(func, args_list, timeout):
            with multiprocessing.Pool() as pool:
                first = pool.apply(add, (1, 2))
                results = [pool.apply_async(func, args) for args in args_list]
                values = [result.get(timeout) for result in results]
                for result in results:
                    result.wait()
                for args in args_list:
                    bounded = pool.apply_async(func, args)
                    values.append(bounded.get(timeout=5))
                values += [v for v in pool.apply(sorted, (values,))]
            return first, values
        """,
    "loops-right": """\
        import asyncio
        import threading
        def background():
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever)
            thread.start()
            return loop
        def in_thread(coro):
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                return loop.run_until_complete(coro)
            finally:
                loop.close()
        """,
}


def _node_at(module: nodes.Module, kind: type | str, line: int) -> nodes.NodeNG:
    """The first node on ``line`` of class ``kind``, or whose source text is ``kind``."""
    for node in module.nodes_of_class(nodes.NodeNG):
        if node.fromlineno == line and (
                node.as_string() == kind if isinstance(kind, str) else isinstance(node, kind)):
            return node
    raise AssertionError(f"no {kind} on line {line}")


class TestConcurrencyChecker(CheckerTestCase):
    """The checker on snippets, through pylint's own test harness."""

    CHECKER_CLASS = plugin.ConcurrencyChecker

    @pytest.mark.parametrize("code, expected", [(code, expected) for _, code, expected in BAD],
                             ids=[name for name, _, _ in BAD])
    def test_bad_snippet_reports_each_message_on_its_line(self, code, expected):
        """Exactly the expected messages, on the expected nodes and lines."""
        module = astroid.parse(textwrap.dedent(code))
        messages = []
        for symbol, kind, line, args in expected:
            node = _node_at(module, kind, line)
            messages.append(MessageTest(symbol, line=line, node=node, args=args,
                                        col_offset=node.col_offset, end_line=node.end_lineno,
                                        end_col_offset=node.end_col_offset))
        with self.assertAddsMessages(*messages):
            self.walk(module)

    @pytest.mark.parametrize("code", list(GOOD.values()), ids=list(GOOD))
    def test_good_snippet_is_silent(self, code):
        """Correct code, however much it looks like a mistake, gets no message."""
        module = astroid.parse(textwrap.dedent(code))
        with self.assertNoMessages():
            self.walk(module)

    def test_every_message_has_a_bad_snippet(self):
        """No message goes untested."""
        covered = {symbol for _, _, expected in BAD for symbol, *_ in expected}
        assert covered == set(plugin.SYMBOLS)


def test_message_texts_name_a_lecture_section():
    """Every message says where in the lecture to read up."""
    for msgid, (template, symbol, description) in plugin.MESSAGES.items():
        assert msgid[0] in "WE" and msgid[1:3] == "93" and len(msgid) == 5
        assert "see the lecture" in template, symbol
        assert description


def test_messages_do_not_clash_with_pylint_own():
    """Our ids and symbols load next to all of pylint's own checkers."""
    linter = PyLinter()
    linter.load_default_plugins()
    plugin.register(linter)          # raises on a duplicate message id or symbol
    for msgid, (_, symbol, _) in plugin.MESSAGES.items():
        assert linter.msgs_store.get_message_definitions(msgid)[0].symbol == symbol


def test_correct_code_and_stubs_get_no_finding():
    """The solutions, the stubs and every correct alternative: not one message."""
    paths = sorted([*ROOT.glob("solutions/*.py"), *ROOT.glob("exercises/*.py"),
                    *ROOT.glob("tests/alternatives/*/*.py")])
    found = {str(path.relative_to(ROOT)): [plugin.format_finding(f) for f in plugin.check_source(
        path.read_text(encoding="utf-8"), path.stem)] for path in paths}
    assert len(found) >= 12 and not any(found.values()), found


BAD_FILE = '''\
import threading
def countdown(n):
    return n * 2
def start():
    thread = threading.Thread(target=countdown(3))
    thread.start()
    return thread
'''


def test_check_source_findings():
    """check_source: findings sorted by line, with id, symbol and learner text."""
    findings = plugin.check_source(BAD_FILE + "\nasync def f():\n    import time\n"
                                   "    time.sleep(1)\n")
    assert [(f.line, f.symbol, f.msgid) for f in findings] == [
        (5, "thread-target-called", "E9301"), (11, "blocking-call-in-coroutine", "W9306")]
    text = plugin.format_finding(findings[0])
    assert text.startswith("line 5: Thread(target=countdown(...)) calls countdown right away")
    assert 'see the lecture, "Functions as Threads".' in text
    with pytest.raises(AttributeError):
        findings[0].line = 1     # frozen


def test_check_source_leaves_no_module_behind():
    """A student module never stays in astroid's cache nor shadows a real module."""
    before = set(astroid.MANAGER.astroid_cache)
    plugin.check_source(BAD_FILE, name="student_countdown_module")
    plugin.check_source(BAD_FILE, name="threading")     # must not shadow the real one
    assert set(astroid.MANAGER.astroid_cache) - before <= {"threading"}
    found = plugin.check_source("import threading\nthreading.Thread(target=print).run()\n")
    assert [f.symbol for f in found] == ["thread-run-called"]


GARBAGE = {
    "empty": "",
    "whitespace": "\n\n   \n",
    "syntax-error": "def f(:\n    pass\n",
    "python2": 'print "hello"\n',
    "nul-byte": "x = 1\x00\n",
    "binary": bytes(range(256)).decode("latin-1"),
    "lone-surrogate": 'x = "\udc80"\n',
    "bad-indent": "if 1:\n\tpass\n        pass\n",
    "deep-parens": "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n",
    "deep-lists": "x = " + "[" * 95 + "]" * 95 + "\n",
    "long-sum": "x = " + "+".join(["1"] * 100000) + "\n",
    "deep-ifs": "".join("    " * i + "if x:\n" for i in range(99)) + "    " * 99 + "pass\n",
    "deep-defs": "".join("    " * i + f"def f{i}():\n" for i in range(60)) + "    " * 60 + "pass\n",
    "match": "match x:\n    case [a, *b] if a:\n        pass\n    case {'k': v}:\n        pass\n",
    "odd-names": ("import threading as t\nclass A(A): pass\nclass T(t.Thread, T): pass\n"
                  "T().run()\nx = [x]\nfor x in x: x.run()\nt = t\nt.run()\n"),
    "odd-async": ("async def g():\n    yield 1\nasync def h():\n    g()\n    await g\n"
                  "    lambda: (yield)\n    [await x async for x in g()]\n"),
    "star-imports": ("from threading import *\nfrom multiprocessing import *\n"
                     "Pool().map(print, [])\n"),
    "self-outside-class": "def f():\n    self.x.run()\n    self.run()\n    super().run()\n",
}


@pytest.mark.parametrize("source", list(GARBAGE.values()), ids=list(GARBAGE))
def test_check_source_never_raises(source):
    """Garbage in, a list out: never an exception."""
    findings = plugin.check_source(source, "garbage")
    assert isinstance(findings, list)
    assert all(isinstance(f, plugin.Finding) for f in findings)


def test_a_failing_rule_skips_only_itself(monkeypatch):
    """A rule that crashes on odd code costs only its own messages."""
    def broken(_):
        raise RecursionError("odd code")
    # analyse() reads the rules from the module that runs them, the package's checker.
    monkeypatch.setattr(checker, "RULES", (broken, *plugin.RULES))
    assert [f.symbol for f in plugin.check_source(BAD_FILE)] == ["thread-target-called"]


def _pylint(path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "pylint", "--load-plugins=grader.pylint_concurrency",
         "--disable=all", "--enable=" + ",".join(plugin.SYMBOLS), "--score=n", str(path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_pylint_command_line_loads_the_plugin(tmp_path):
    """`pylint --load-plugins=grader.pylint_concurrency` reports, and fails only bad code."""
    bad = tmp_path / "bad_start.py"
    bad.write_text(BAD_FILE + "\n\ndef spin(ev):\n    while not ev.is_set():\n        pass\n",
                   encoding="utf-8")
    result = _pylint(bad)
    assert "thread-target-called" in result.stdout, result.stdout + result.stderr
    assert "busy-wait" in result.stdout
    assert 'see the lecture, "Coordinating Threads"' in result.stdout
    assert result.returncode != 0

    good = tmp_path / "good_start.py"
    good.write_text((ROOT / "solutions" / "countdown.py").read_text(encoding="utf-8"),
                    encoding="utf-8")
    result = _pylint(good)
    assert result.returncode == 0, result.stdout + result.stderr
