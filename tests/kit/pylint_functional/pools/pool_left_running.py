import multiprocessing
from concurrent.futures import ProcessPoolExecutor
def submit_all(pool, func, args_list):
    return [pool.apply_async(func, args) for args in args_list]
def parallel_map(func, args_list, processes=None):
    pool = multiprocessing.Pool(processes)  # [pool-without-cleanup]
    return [r.get() for r in submit_all(pool, func, args_list)]
def closed_only(func, xs):
    pool = multiprocessing.Pool()  # [pool-without-cleanup]
    values = pool.map(func, xs)
    pool.close()
    return values
def run(func, xs):
    ex = ProcessPoolExecutor()  # [pool-without-cleanup]
    return list(ex.map(func, xs)) + multiprocessing.Pool(2).map(func, xs)  # [pool-without-cleanup]
