"""Pauses between retries."""
from time import sleep as pause


async def retry(fn, attempts=3):
    for attempt in range(attempts):
        try:
            return await fn()
        except OSError:
            pause(2 ** attempt)
    raise RuntimeError("gave up")
