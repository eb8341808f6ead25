class Counter:
    def increment(self, amount=1):
        new_value = self.value + amount
        with self._lock:
            self.value = new_value  # [lock-split-update]
def increment(box, mutex):
    with mutex:
        seen = box.count
    with mutex:
        box.count = seen + 1  # [lock-split-update]
