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
