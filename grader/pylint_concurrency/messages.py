"""The plugin's messages: id -> (text for the learner, symbol, description).

Every text ends by naming the lecture section that covers the mistake; the
``%(...)s`` fields are filled in by the rule that reports it.
"""

from __future__ import annotations


_SEE = 'see the lecture, "%(section)s".'
MESSAGES: dict[str, tuple[str, str, str]] = {
    "E9301": (
        "%(cls)s(target=%(func)s(...)) calls %(func)s right away, here in the caller, and "
        "hands the new %(kind)s only its return value. Pass the function itself and its "
        "arguments separately, target=%(func)s, args=(...); " + _SEE,
        "thread-target-called",
        "The target of a Thread or Process is the result of a call, so the work happens "
        "in the calling thread before the new one even starts.",
    ),
    "W9302": (
        "%(recv)s.run() runs the %(kind)s's target right here, in the calling thread, and "
        "waits for it: nothing runs concurrently. Call %(recv)s.start() to run it in a new "
        "%(kind)s; " + _SEE,
        "thread-run-called",
        "run() was called on a Thread or Process where start() was meant.",
    ),
    "W9303": (
        "%(lock)s.acquire() is paired with a release() that is not in a finally clause, so "
        "an exception in between leaves the lock held and every other thread waits forever. "
        "Use `with %(lock)s:` instead; " + _SEE,
        "lock-without-with",
        "A lock is acquired and released by hand without try/finally.",
    ),
    "W9304": (
        "%(what)s makes a new lock every time this code runs, so each thread locks its own "
        "lock and nothing is protected. Create the lock once where all threads share it "
        "(e.g. self._lock = threading.Lock() in __init__); " + _SEE,
        "lock-created-per-use",
        "A lock is created and used in the same place and never shared.",
    ),
    "W9305": (
        "This loop keeps checking %(cond)s with nothing in between, so it burns a whole CPU "
        "core while it waits. %(fix)s; " + _SEE,
        "busy-wait",
        "A while loop spins on a flag or a status method without blocking or sleeping.",
    ),
    "W9306": (
        "%(call)s blocks inside the coroutine %(func)s(): while it waits, the event loop and "
        "every other task are stopped. %(fix)s; " + _SEE,
        "blocking-call-in-coroutine",
        "A blocking call (time.sleep, requests, input, join, result...) inside async def.",
    ),
    "W9307": (
        "%(call)s only creates a coroutine object: its body never runs because nothing "
        "awaits it. %(fix)s; " + _SEE,
        "coroutine-not-awaited",
        "A coroutine function is called and its coroutine is dropped unawaited.",
    ),
    "E9308": (
        "%(what)s is sent to another process, but it cannot be pickled (only functions "
        "defined at the top level of a module can be), so this fails under the spawn and "
        "forkserver start methods. Define the function at module level and pass its data "
        "as arguments; " + _SEE,
        "unpicklable-pool-callable",
        "A lambda, nested function or local class's method is given to a process pool "
        "or Process.",
    ),
    "W9309": (
        "The %(pool)s `%(name)s` %(problem)s in %(func)s(), so its worker %(workers)s can "
        "outlive the call. %(fix)s; " + _SEE,
        "pool-without-cleanup",
        "A process or thread pool (Pool, ThreadPool, ProcessPoolExecutor, "
        "ThreadPoolExecutor) created in a function is never closed and joined, terminated "
        "or shut down there.",
    ),
    "W9310": (
        "%(what)s runs as soon as this module is imported; with the spawn and forkserver "
        "start methods every new process imports the module again and would start processes "
        'of its own. Move it into a function or under `if __name__ == "__main__":`; '
        + _SEE,
        "missing-main-guard",
        "A Pool, ProcessPoolExecutor or Process is created at module level.",
    ),
    "E9311": (
        "%(call)s calls %(func)s right now, in this process, and sends the pool only its "
        "return value. Pass the function itself and its arguments separately, "
        "%(method)s(%(func)s, ...); " + _SEE,
        "pool-callable-called",
        "The callable given to a pool is the (non-callable) result of a call.",
    ),
    "E9312": (
        "%(expr)s without parentheses is the method itself, which is always true; call it: "
        "%(expr)s(); " + _SEE,
        "method-not-called",
        "A status method such as is_set or is_alive is tested without calling it.",
    ),
    "W9313": (
        "%(recv)s.start() and %(recv)s.join() run in the same loop iteration, so each "
        "%(kind)s ends "
        "before the next one starts and nothing runs at the same time. Start them all in one "
        "loop, then join them in a second loop; " + _SEE,
        "start-join-same-loop",
        "start() and join() on the same thread inside one loop body.",
    ),
    "W9314": (
        "The lambda target reads the loop variable %(var)s when the %(kind)s runs, not when "
        "it is created, so it may see a later value (often the last one). Bind it now: "
        "target=func, args=(%(var)s,); " + _SEE,
        "late-binding-thread-target",
        "A lambda thread target uses a loop variable of the loop that creates it.",
    ),
    "W9315": (
        "%(attr)s is read in one step and written back in another, and the lock is not held "
        "across both, so two threads can read the same old value and one update is lost. "
        "Do the read and the write inside one `with %(lock)s:` block; " + _SEE,
        "lock-split-update",
        "A read-modify-write of a shared attribute is split across a lock boundary.",
    ),
    "W9316": (
        "`%(name)s = asyncio.new_event_loop()` is never closed in %(func)s(), so the loop "
        "and its resources stay open after the call. Close it in a finally clause, or let "
        "asyncio.run() create and close the loop for you; " + _SEE,
        "event-loop-not-closed",
        "A new event loop is created in a function and never closed there.",
    ),
    "W9317": (
        "%(call)s waits for this task to finish before the loop hands out the next one, so "
        "the tasks run one after another instead of in parallel. Submit them all first "
        "(apply_async or submit), then collect the results in a second loop; " + _SEE,
        "sequential-pool-calls",
        "A pool task is submitted and waited for in the same loop iteration.",
    ),
    "W9318": (
        "%(call)s is not inside a `while` loop that checks the condition again%(why)s. "
        "wait() returns once the Condition is notified, but by then another thread may have "
        "taken what this one was woken for (and a notify may wake more threads than asked "
        "for), so the code after it can run while the condition is false. Wait in a loop, "
        "%(loop)s, or let `%(wait_for)s` do the loop for you; "
        + _SEE,
        "condition-wait-not-in-loop",
        "Condition.wait() is called once, under an if or followed by code that relies on "
        "the condition, instead of in a while loop that re-checks it.",
    ),
    "W9319": (
        "%(join)s waits for the process to end before anything is read from `%(queue)s`, but "
        "a process that has put data on a multiprocessing queue does not end until all of it "
        "has gone through the queue's pipe, which stops taking data once it is full: the "
        "process waits for a reader, the reader waits in join(), and the program hangs. Take "
        "the results off `%(queue)s` first (one %(queue)s.get() per result), then join the "
        "processes; " + _SEE,
        "join-before-queue-get",
        "Processes are joined before the parent reads the multiprocessing queue they put "
        "their results on.",
    ),
}
SYMBOLS: dict[str, str] = {symbol: msgid for msgid, (_, symbol, _) in MESSAGES.items()}
