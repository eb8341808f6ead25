from concurrent.futures import ProcessPoolExecutor
def run(x):
    def square():
        return x * x
    with ProcessPoolExecutor() as ex:
        return ex.submit(square).result()  # [unpicklable-pool-callable]
