"""Background jobs of the shop."""
import asyncio
import time


async def poll_inventory(store):
    while store.open:
        store.refresh()
        time.sleep(5)  # wait before the next poll


async def send_receipts(queue):
    loop = asyncio.get_event_loop()
    while True:
        order = await queue.get()
        asyncio.create_task(mail_receipt(order))
        loop.call_soon(queue.task_done)


async def mail_receipt(order):
    await asyncio.sleep(0.1)
    print("receipt sent for", order)


def start_blocking(store):
    # plain sync code: sleeping here blocks nobody's event loop
    time.sleep(1)
    return store
