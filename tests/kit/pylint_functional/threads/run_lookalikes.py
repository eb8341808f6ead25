import asyncio
import threading
class Worker(threading.Thread):
    def run(self):
        super().run()
        threading.Thread.run(self)
def run(coro):
    with asyncio.Runner() as runner:
        return runner.run(coro)
def drive(coro):
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()
def start(work):
    worker = Worker(target=work)
    worker.start()
    return worker
