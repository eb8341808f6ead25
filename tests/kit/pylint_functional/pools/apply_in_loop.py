import multiprocessing
def parallel_map(func, args_list):
    with multiprocessing.Pool() as pool:
        return [pool.apply(func, args) for args in args_list]  # [sequential-pool-calls]
