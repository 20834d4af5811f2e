async def f():
    fh: object
    fh = open("x")
    fh.read()
