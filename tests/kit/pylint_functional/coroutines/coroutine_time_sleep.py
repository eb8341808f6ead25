import time
from time import sleep
async def fetch(delay, value):
    time.sleep(delay)  # [blocking-call-in-coroutine]
    sleep(0.1)  # [blocking-call-in-coroutine]
    return value
