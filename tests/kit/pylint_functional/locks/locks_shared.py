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
