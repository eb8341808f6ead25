class Cache:
    async def refresh(self):
        return 1
    async def get(self):
        self.refresh()  # [coroutine-not-awaited]
