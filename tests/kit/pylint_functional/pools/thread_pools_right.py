import asyncio
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from multiprocessing.pool import ThreadPool


def square(x):
    return x * x


def fetch_all(fetch, urls):
    with ThreadPoolExecutor(max_workers=4) as executor:
        futures = [executor.submit(fetch, url) for url in urls]
        return [future.result() for future in as_completed(futures)]


def shut_down(fetch, urls):
    executor = ThreadPoolExecutor()
    try:
        return list(executor.map(fetch, urls))
    finally:
        executor.shutdown(wait=True)


def cancelled(xs):
    executor = ProcessPoolExecutor(2)
    futures = [executor.submit(square, x) for x in xs]
    executor.shutdown(wait=False, cancel_futures=True)
    return futures


def handed_on(workers):
    executor = ThreadPoolExecutor(workers)
    return executor


async def in_the_loop(fetch, url):
    loop = asyncio.get_running_loop()
    executor = ThreadPoolExecutor(2)
    loop.set_default_executor(executor)
    return await loop.run_in_executor(None, fetch, url)


class Crawler:
    def __init__(self):
        self.executor = ThreadPoolExecutor()

    def close(self):
        self.executor.shutdown()


def closed(func, xs):
    pool = ThreadPool(2)
    values = pool.map(func, xs)
    pool.close()
    pool.join()
    return values
