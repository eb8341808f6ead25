import multiprocessing
def run(xs):
    class Scaler:
        def scale(self, x):
            return x * 2
    scaler = Scaler()
    with multiprocessing.Pool() as pool:
        return pool.map(scaler.scale, xs)  # [unpicklable-pool-callable]
