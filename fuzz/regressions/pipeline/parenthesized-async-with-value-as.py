from aiofiles import open as aopen


async def head(path):
    async with (aopen(path)) as f:
        line = await f.readline()
    return line
