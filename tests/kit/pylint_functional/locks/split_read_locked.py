import threading
class Counter:
    def __init__(self):
        self._lock = threading.Lock()
        self.value = 0
    def increment(self, amount=1):
        with self._lock:
            current = self.value
        self.value = current + amount  # [lock-split-update]
