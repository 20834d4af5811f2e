import subprocess


async def main():
    result = subprocess.run(
        ["git", "log", "-1"],
        capture_output=True,
    )
    return result
