import multiprocessing.pool
def submit_all(pool: multiprocessing.pool.Pool, func, args_list):
    def call(args):
        return func(*args)
    return [pool.apply_async(call, (args,)) for args in args_list]  # [unpicklable-pool-callable]
