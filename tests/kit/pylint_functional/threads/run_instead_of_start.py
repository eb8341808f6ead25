import threading
threading.Thread(target=print).run()  # [thread-run-called]
class Ticker:
    def __init__(self, work):
        self.worker = threading.Thread(target=work)
    def go(self):
        self.worker.run()  # [thread-run-called]
def start(work):
    thread = threading.Thread(target=work)
    thread.run()  # [thread-run-called]
    for t in [threading.Thread(target=work) for _ in range(3)]:
        t.run()  # [thread-run-called]
