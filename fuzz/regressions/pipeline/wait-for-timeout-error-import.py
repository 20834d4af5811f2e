import asyncio


async def f(c):
    try:
        return await asyncio.wait_for(c, 5)
    except asyncio.TimeoutError:
        return None
