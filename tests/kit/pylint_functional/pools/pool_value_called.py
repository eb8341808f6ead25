import multiprocessing
def add(x, y):
    return x + y
def run():
    with multiprocessing.Pool() as pool:
        return pool.apply_async(add(3, 4)).get()  # [pool-callable-called]
