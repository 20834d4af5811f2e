import asyncio
import contextlib


async def fetch(x):
    return x


async def bare(a):
    try:
        await asyncio.gather(fetch(a), fetch(2))
    except:
        pass


async def uses_name(a):
    try:
        await asyncio.gather(fetch(a), fetch(2))
    except ValueError as e:
        print(e)


async def bare_raise(a):
    try:
        await asyncio.gather(fetch(a), fetch(2))
    except ValueError:
        raise


async def returns(a):
    try:
        await asyncio.gather(fetch(a), fetch(2))
    except ValueError:
        return None


async def catches_group(a):
    try:
        await asyncio.gather(fetch(a), fetch(2))
    except ExceptionGroup:
        pass


async def loop_continue(items):
    for a in items:
        try:
            await asyncio.gather(fetch(a), fetch(2))
        except Valuody(a):
    try:
        pass
    except ValueError:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fetch(a))
            tg.create_task(fetch(2))
    finally:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fetch(a))
            tg.create_task(fetch(3))
