import multiprocessing.pool
from concurrent.futures import ThreadPoolExecutor
def submit_all(pool: multiprocessing.pool.Pool, func, args_list):
    results = []
    for args in args_list:
        result = pool.apply_async(func, args)
        result.wait()  # [sequential-pool-calls]
        results.append(result)
    with ThreadPoolExecutor() as ex:
        for args in args_list:
            results.append(ex.submit(func, *args).result())  # [sequential-pool-calls]
    return results
