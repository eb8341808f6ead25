import multiprocessing
import threading
def add(x, y):
    return x + y
def worker(i):
    print(i)
helper = threading.Thread(target=worker, args=(0,))
helper.start()
helper.join()
def main():
    with multiprocessing.Pool() as p:
        print(p.apply(add, (3, 4)))
if __name__ == "__main__":
    p = multiprocessing.Pool()
    r = p.apply_async(add, (3, 4))
    print(r.get())
    for i in range(3):
        proc = multiprocessing.Process(target=worker, args=(i,))
        proc.start()
