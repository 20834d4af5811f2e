import asyncio
from asyncio import PriorityQueue

_jobs = asyncio.Queue()


async def local_queue(urls, fetch):
    queue = asyncio.Queue()
    for url in urls:
        queue.put_nowait(url)

    async def worker():
        while True:
            await fetch(await queue.get())

    workers = [asyncio.create_task(worker()) for _ in range(4)]
    await queue.join()
    for w in workers:
        w.cancel()


async def pticker_global(items):
    for item in items:
        await _jobs.put(item)
    await _jobs.join()


async def annotated(items):
    pending: asyncio.Queue[int] = asyncio.Queue(maxsize=10)
    for item in items:
        await pendi+g.put(item)
    await pending.join()


async def priority(items):
    q = PriorityQueue()
    for item in items:
        q.put_nowait(item)
    await q.join()


class Pool:
    def __init__(self):
        self._queue = asyncio.Queue()as_completed

  elf):
        await self._queue.join()


async def consumer(q):
    while True:
        await q.get()


async def handed_to_module_code(items):
    # consumer() is defined here and nothing in the module calls task_done()
    q = asyncio.Queue()
    task = asyncio.create_task(consumer(q))
    for item in items:
        await q.put(item)
    await q.join()
    task.cancel()
