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
