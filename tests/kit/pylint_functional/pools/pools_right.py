import multiprocessing
import multiprocessing.pool
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
def add(x, y):
    return x + y
def square(x):
    return x * x
def submit_all(pool: multiprocessing.pool.Pool, func, args_list):
    return list(map(lambda args: pool.apply_async(func, args), args_list))
def parallel_map(xs):
    with multiprocessing.Pool(2) as pool:
        values = pool.map(square, xs)
        pool.close()
        pool.join()
    with ProcessPoolExecutor() as ex:
        values += list(ex.map(square, xs))
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        values.append(pool.apply_async(add, (1, 2)).get())
    return values
def threads_may_take_lambdas(xs):
    def nested(x):
        return x
    with ThreadPoolExecutor() as ex:
        ex.submit(lambda: 1)
        ex.map(nested, xs)
    with multiprocessing.pool.ThreadPool(2) as pool:
        pool.map(lambda x: x, xs)
    return list(map(lambda x: x, xs))
def cleaned(xs):
    pool = multiprocessing.Pool(2)
    try:
        return pool.map(square, xs)
    finally:
        pool.terminate()
        pool.join()
def closed(xs):
    pool = multiprocessing.Pool(2)
    values = pool.map(square, xs)
    pool.close()
    pool.join()
    return values
def shut(xs):
    ex = ProcessPoolExecutor()
    try:
        return list(ex.map(square, xs))
    finally:
        ex.shutdown()
def make_pool(n):
    pool = multiprocessing.Pool(n)
    return pool
_POOLS = {}
def cached(n):
    pool = _POOLS[n] = multiprocessing.Pool(n)
    return pool
class Service:
    def __init__(self):
        self.pool = multiprocessing.Pool(2)
    def extra(self, registry):
        pool = multiprocessing.Pool(2)
        registry.append(pool)
def owned(stack):
    pool = multiprocessing.Pool(2)
    stack.enter_context(pool)
def global_pool():
    global POOL
    POOL = multiprocessing.Pool(2)
