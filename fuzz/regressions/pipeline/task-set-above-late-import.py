try:
    import ssl
except ImportError:
    ssl = None
import asyncio


async def work():
    pass


async def main():
    asyncio.create_task(work())
