from concurrent.futures import ThreadPoolExecutor
from multiprocessing.pool import ThreadPool


def fetch_all(fetch, urls):
    executor = ThreadPoolExecutor(max_workers=4)  # [pool-without-cleanup]
    futures = [executor.submit(fetch, url) for url in urls]
    return [future.result() for future in futures]


def first(fetch, url):
    return ThreadPoolExecutor().submit(fetch, url).result()  # [pool-without-cleanup]


def mapped(func, xs):
    pool = ThreadPool(4)  # [pool-without-cleanup]
    return pool.map(func, xs)
