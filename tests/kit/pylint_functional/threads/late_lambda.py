import threading
def start_workers(names, worker):
    threads = [threading.Thread(target=lambda: worker(i)) for i in range(3)]  # [late-binding-thread-target]
    for name in names:
        t = threading.Thread(target=lambda: worker(name))  # [late-binding-thread-target]
        t.start()
        threads.append(t)
    return threads
