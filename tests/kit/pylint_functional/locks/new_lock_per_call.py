import threading
class Counter:
    def increment(self, amount=1):
        with threading.Lock():  # [lock-created-per-use]
            self.value = self.value + amount
    def decrement(self):
        lock = threading.RLock()  # [lock-created-per-use]
        with lock:
            self.value -= 1
