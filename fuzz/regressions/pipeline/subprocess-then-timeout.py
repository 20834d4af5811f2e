import subprocess


async def main():
	if True:
		out = subprocess.check_output(["ls"])
		return out
