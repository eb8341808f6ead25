import multiprocessing
def add(x, y):
    return x + y
pool = multiprocessing.Pool()  # [missing-main-guard]
print(pool.apply(add, (3, 4)))
