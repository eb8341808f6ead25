import threading
from threading import Thread as T
def countdown(n):
    total = 0
    for _ in range(n):
        total += 1
    return total
def worker(i):
    print(i)
def start(n):
    thread = threading.Thread(target=countdown(n))  # [thread-target-called]
    return [thread] + [T(target=worker(i)) for i in range(3)]  # [thread-target-called]
