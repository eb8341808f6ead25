import time
def worker(go, out, index):
    go.wait()
    out(index)
def timed(go, out):
    while not go.wait(0.1):
        pass
    out(1)
def periodic(stop, do_work, interval):
    while not stop.is_set():
        do_work()
        stop.wait(interval)
def poll(result, interval=0.1):
    while not result.ready():
        time.sleep(interval)
    return result.get()
def drain(q, handle):
    while not q.empty():
        handle(q.get())
def forever(stop, tick):
    while True:
        if stop.is_set():
            break
        tick()
