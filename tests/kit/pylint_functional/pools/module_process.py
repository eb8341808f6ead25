from multiprocessing import Process
def worker(i):
    print(i)
for i in range(3):
    p = Process(target=worker, args=(i,))  # [missing-main-guard]
    p.start()
