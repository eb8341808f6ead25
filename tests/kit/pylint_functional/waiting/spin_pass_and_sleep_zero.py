import time
def worker(go, out, index):
    while not go.is_set():  # [busy-wait]
        pass
    while not go.is_set():  # [busy-wait]
        time.sleep(0)
    out(index)
