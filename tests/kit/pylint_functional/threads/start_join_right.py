import threading
def run_all(batches):
    for funcs in batches:
        threads = [threading.Thread(target=f) for f in funcs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
def watchdog(tests):
    for test in tests:
        t = threading.Thread(target=test, daemon=True)
        t.start()
        t.join(timeout=5)
def bound(n, worker):
    made = [threading.Thread(target=lambda i=i: worker(i)) for i in range(n)]
    made += [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for i in range(n):
        t = threading.Thread(target=lambda: worker(i))
        t.start()
        t.join(1)
    return made
