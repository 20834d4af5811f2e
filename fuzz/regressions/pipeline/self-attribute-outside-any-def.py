import pathlib
from pathlib import Path
from typing import Optional, Union

CONFIG = Path("/etc/app.conf")


clas
        with self.index.open() as f:
            async_lines = [line for line in f]
        return async_lines


async def annotated(p: Path, q: Optional[Path], r: "pathlib.Path | None", s: Union[None, Path]):
    with p.open("rb") as f:
        data = f.read()
    text = q.open().read()
    with r.open("w") as out:
        out.write(text)
        out.flush()
    s.open("w").write(text)
    return data


async def constructed(name):
    target = Path(name).with_suffix(".bak")
    with target.open("a") as log:
        log.write("x")
    with CONFIG.open() as f:
        for line in f:
            print(line)


async def unknown(thing, path: str):
    with thing.open() as f:
        return f.read(), path
