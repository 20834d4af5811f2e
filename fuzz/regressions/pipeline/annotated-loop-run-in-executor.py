import asyncio
async def f(g):
    loop: asyncio.AbstractEventLoop
    loop = asyncio.get_event_loop()
    await loop.run_in_executor(None, g)
