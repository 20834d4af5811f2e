"""Talking to the payment service."""
import asyncio


async def charge(reader, writer, amount):
    writer.write(f"CHARGE {amount}\n".encode())
    try:
        reply = await asyncio.wait_for(reader.readline(), 5)
    except (asyncio.TimeoutError, ConnectionError):
        return None
    return reply.decode().strip()


def make_loop():
    return asyncio.get_event_loop()
