from threading import Lock
def increment(counter):
    lock = Lock()  # [lock-created-per-use]
    lock.acquire()
    try:
        counter.value += 1
    finally:
        lock.release()
