import multiprocessing
def add(x, y):
    return x + y
def parallel_map(func, args_list, timeout):
    with multiprocessing.Pool() as pool:
        first = pool.apply(add, (1, 2))
        results = [pool.apply_async(func, args) for args in args_list]
        values = [result.get(timeout) for result in results]
        for result in results:
            result.wait()
        for args in args_list:
            bounded = pool.apply_async(func, args)
            values.append(bounded.get(timeout=5))
        values += [v for v in pool.apply(sorted, (values,))]
    return first, values
