import multiprocessing
import queue
import threading


def square(x, out):
    out.put(x * x)


def drain(tasks):
    while True:
        task = tasks.get()
        tasks.task_done()
        if task is None:
            return


def run_all(xs):
    results = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=square, args=(x, results)) for x in xs]
    for p in procs:
        p.start()
    values = [results.get() for _ in procs]
    for p in procs:
        p.join()
    return values


def polled(x):
    out = multiprocessing.Queue()
    proc = multiprocessing.Process(target=square, args=(x, out))
    proc.start()
    values = []
    while proc.is_alive():
        proc.join(0.1)
        while not out.empty():
            values.append(out.get())
    return values


def read_as_they_end(xs):
    out = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=square, args=(x, out)) for x in xs]
    for p in procs:
        p.start()
    values = []
    for p in procs:
        values.append(out.get())
        p.join()
    return values


def threads_and_a_thread_queue(xs):
    out = queue.Queue()
    threads = [threading.Thread(target=square, args=(x, out)) for x in xs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [out.get() for _ in threads]


def managed(xs):
    with multiprocessing.Manager() as manager:
        out = manager.Queue()
        procs = [multiprocessing.Process(target=square, args=(x, out)) for x in xs]
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        return [out.get() for _ in procs]


def tasks_in(xs, workers=2):
    tasks = multiprocessing.JoinableQueue()
    for x in [*xs, *[None] * workers]:
        tasks.put(x)
    procs = [multiprocessing.Process(target=drain, args=(tasks,)) for _ in range(workers)]
    for p in procs:
        p.start()
    tasks.join()
    for p in procs:
        p.join()


def cleaned_up_on_error(xs):
    out = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=square, args=(x, out)) for x in xs]
    try:
        for p in procs:
            p.start()
    except BaseException:
        for p in procs:
            if p.is_alive():
                p.terminate()
            p.join()
        raise
    values = [out.get() for _ in procs]
    for p in procs:
        p.join()
    return values


def stopped_early(x, deadline):
    out = multiprocessing.Queue()
    proc = multiprocessing.Process(target=square, args=(x, out))
    proc.start()
    proc.join(deadline)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        return None
    return out.get()
