import asyncio
def run(coro):
    loop = asyncio.new_event_loop()  # [event-loop-not-closed]
    return loop.run_until_complete(coro)
