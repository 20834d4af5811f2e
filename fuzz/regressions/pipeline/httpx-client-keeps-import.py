import httpx


async def main(u):
    r = httpx.get(u, follow_redirects=True)
    httpx.post(u, json={"a": 1})
    return r.status_code
