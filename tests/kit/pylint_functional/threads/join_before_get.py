import multiprocessing
import multiprocessing as mp


def square(x, out):
    out.put(x * x)


def run_all(xs):
    results = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=square, args=(x, results)) for x in xs]
    for p in procs:
        p.start()
    for p in procs:
        p.join()  # [join-before-queue-get]
    return [results.get() for _ in procs]


def run_one(x, out: mp.Queue):
    worker = mp.Process(target=square, args=(x, out))
    worker.start()
    worker.join()  # [join-before-queue-get]
    return out.get()


def run_in_context(xs):
    ctx = mp.get_context("spawn")
    queue = ctx.SimpleQueue()
    workers = []
    for x in xs:
        worker = ctx.Process(target=square, kwargs={"x": x, "out": queue})
        workers.append(worker)
        worker.start()
    for worker in workers:
        worker.join()  # [join-before-queue-get]
    total = 0
    for _ in xs:
        total += queue.get()
    return total


def joined_then_read_stopped_on_error(xs):
    results = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=square, args=(x, results)) for x in xs]
    try:
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join()  # [join-before-queue-get]
        return [results.get() for _ in procs]
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
            proc.join()
