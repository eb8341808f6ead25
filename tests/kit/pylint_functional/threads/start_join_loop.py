import multiprocessing
import threading
def run_all(funcs):
    threads = [threading.Thread(target=f) for f in funcs]
    for thread in threads:
        thread.start()
        thread.join()  # [start-join-same-loop]
    for i in range(3):
        p = multiprocessing.Process(target=print, args=(i,))
        p.start()
        p.join()  # [start-join-same-loop]
