import multiprocessing
def doubled(xs):
    with multiprocessing.Pool(2) as pool:
        return pool.map(lambda x: x * 2, xs)  # [unpicklable-pool-callable]
def launch():
    p = multiprocessing.Process(target=lambda: print("hi"))  # [unpicklable-pool-callable]
    p.start()
