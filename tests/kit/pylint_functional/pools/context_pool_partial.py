import functools
import multiprocessing
def run(x):
    def helper(y):
        return y
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        return pool.apply_async(functools.partial(helper, x)).get()  # [unpicklable-pool-callable]
