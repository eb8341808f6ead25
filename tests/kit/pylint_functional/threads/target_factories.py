import functools
import threading
def work(i):
    return i
def make_worker(i):
    def worker():
        return i
    return worker
def identity(func):
    return func
class Obj:
    def method(self):
        return 1
def start(n, obj):
    threads = [threading.Thread(target=make_worker(i)) for i in range(n)]
    threads.append(threading.Thread(target=functools.partial(work, 1)))
    threads.append(threading.Thread(target=identity(work)))
    threads.append(threading.Thread(target=getattr(obj, "method")))
    threads.append(threading.Thread(target=Obj().method, name=str(n)))
    for thread in threads:
        thread.start()
    return threads
