import asyncio
import time
async def other():
    return "two"
async def first(out):
    out("one")
    out(await other())
    pending = other()
    out(await pending)
    await asyncio.sleep(0.1)
    await asyncio.to_thread(time.sleep, 1)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, lambda: time.sleep(1))
    def helper():
        time.sleep(1)
    await asyncio.to_thread(helper)
    task = asyncio.ensure_future(other())
    await asyncio.wait({task}, timeout=1)
    return task.result()
async def fan_out():
    task = asyncio.create_task(other())
    await asyncio.gather(other(), other())
    await asyncio.wait_for(other(), 1)
    coros = [other() for _ in range(3)]
    await asyncio.gather(*coros)
    async with asyncio.TaskGroup() as group:
        group.create_task(other())
    asyncio.ensure_future(other())
    print(other)
    await task
    return other()
def main():
    asyncio.run(first(print))
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(fan_out())
    finally:
        loop.close()
def runner(coro):
    return asyncio.get_event_loop().run_until_complete(coro)
async def ticks():
    yield 1
async def consume():
    ticks()
    async for tick in ticks():
        print(tick)
