import threading
from concurrent.futures import ThreadPoolExecutor
async def mixed(work):
    t = threading.Thread(target=work)
    t.start()
    t.join()  # [blocking-call-in-coroutine]
    executor = ThreadPoolExecutor()  # [pool-without-cleanup]
    return executor.submit(work).result()  # [blocking-call-in-coroutine]
