import multiprocessing as mp
def work(x):
    return x * 2
if __name__ == "__main__":
    p = mp.Process(target=work(3))  # [thread-target-called]
    p.start()
