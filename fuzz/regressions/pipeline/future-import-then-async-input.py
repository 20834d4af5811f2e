"""Ask things."""
from __future__ import annotations

import sys


async def main() -> str:
    return input(sys.argv[1])
