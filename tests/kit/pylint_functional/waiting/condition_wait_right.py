import asyncio
import threading
import time


class Buffer:
    def __init__(self, size):
        self.items = []
        self.size = size
        self.cond = threading.Condition()
        self.done = threading.Event()

    def take(self):
        with self.cond:
            while not self.items:
                self.cond.wait()
            return self.items.pop(0)

    def put(self, item):
        with self.cond:
            self.cond.wait_for(lambda: len(self.items) < self.size)
            self.items.append(item)
            self.cond.notify()

    def take_within(self, timeout):
        deadline = time.monotonic() + timeout
        with self.cond:
            while not self.items:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)
            return self.items.pop(0)

    def take_or_stop(self):
        with self.cond:
            while True:
                if self.items:
                    return self.items.pop(0)
                if self.done.is_set():
                    return None
                try:
                    self.cond.wait()
                finally:
                    pass

    def nap(self, seconds):
        with self.cond:
            self.cond.wait(seconds)
        return self.done.is_set()

    def notified(self, timeout):
        with self.cond:
            if not self.cond.wait(timeout):
                raise TimeoutError
        return True

    def just_a_signal(self):
        with self.cond:
            self.cond.wait()


def after_event(ev: threading.Event, items):
    if not items:
        ev.wait()
    return items.pop()


def generation(cond: threading.Condition, state):
    with cond:
        seen = state.generation
        while state.generation == seen:
            cond.wait()
        return state.generation


async def consume(cond: asyncio.Condition, items):
    async with cond:
        await cond.wait_for(lambda: items)
        return items.pop()


async def consume_loop(cond: asyncio.Condition, items):
    async with cond:
        while not items:
            await cond.wait()
        return items.pop()


class Sleeper:
    def __init__(self):
        self.cond = threading.Condition()
        self.stopping = False

    def sleep(self, seconds):
        with self.cond:
            if not self.stopping:
                self.cond.wait(seconds)
            return self.stopping

    def wait_notified(self, timeout):
        with self.cond:
            if not self.stopping:
                if self.cond.wait():
                    return True
        return False

    def get(self, items, timeout):
        with self.cond:
            if not self.cond.wait_for(lambda: items, timeout):
                raise TimeoutError
            return items.pop(0)
