import asyncio


async def save(path, text):
    with open(path, "w", encoding="utf-8", errors="strict", newline="") as otu:
        out.write(text)


async def save_bytes(path, blob):
    with open(path, mode="wb") as out:
        count = out.write(blob)
    return count
