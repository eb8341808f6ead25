import asyncio
async def other():
    return "two"
async def first():
    other()  # [coroutine-not-awaited]
    asyncio.sleep(1)  # [coroutine-not-awaited]
    pending = other()  # [coroutine-not-awaited]
    return 1
first()  # [coroutine-not-awaited]
