import threading
lock = threading.Lock()
class Counter:
    def __init__(self):
        self._lock = threading.Lock()
        self.value = 0
    def increment(self, amount=1):
        self._lock.acquire()  # [lock-without-with]
        self.value = self.value + amount
        self._lock.release()
def add(items, item):
    lock.acquire()  # [lock-without-with]
    items.append(item)
    lock.release()
