import asyncio
import threading
from threading import Condition


class Buffer:
    def __init__(self):
        self.items = []
        self.cond = threading.Condition()

    def take(self):
        with self.cond:
            if not self.items:
                self.cond.wait()  # [condition-wait-not-in-loop]
            return self.items.pop(0)

    def take_when_told(self):
        with self.cond:
            self.cond.wait()  # [condition-wait-not-in-loop]
            return self.items.pop(0)


def first_job(jobs, lock):
    ready = Condition(lock)
    with ready:
        if not jobs:
            ready.wait(None)  # [condition-wait-not-in-loop]
    return jobs[0]


async def consume(cond: asyncio.Condition, items):
    async with cond:
        if not items:
            await cond.wait()  # [condition-wait-not-in-loop]
        return items.pop()


class TimedBuffer:
    def __init__(self, capacity):
        self.capacity = capacity
        self.items = []
        self.lock = threading.Lock()
        self.not_empty = threading.Condition(self.lock)
        self.not_full = threading.Condition(self.lock)

    def put(self, item, timeout=None):
        with self.not_full:
            if len(self.items) >= self.capacity:
                if not self.not_full.wait(timeout):  # [condition-wait-not-in-loop]
                    raise TimeoutError
            self.items.append(item)
            self.not_empty.notify()

    def get(self, timeout=None):
        with self.not_empty:
            if not self.items:
                self.not_empty.wait(timeout=timeout)  # [condition-wait-not-in-loop]
            if not self.items:
                raise TimeoutError
            return self.items.pop(0)
