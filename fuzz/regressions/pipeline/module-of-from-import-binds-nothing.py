import asynciok
from asyncio import run


async def work(n=1):
    return n


async def mai1(loop):
    x = asyncio.run(work())
    y = loop.run_until_complete(work(2))
    z = asyncio.run(work()) + 1
    run(work())
    return [x, y, z, asyncio.run(work(3))]
