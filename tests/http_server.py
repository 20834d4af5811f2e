"""A local HTTP server for the program tests: 127.0.0.1, a free port.

Usage: http_server.py PORTFILE. The port is written to PORTFILE once the
server listens. Endpoints (all answer JSON unless said):
  GET  /get?...        {"method", "path", "args", "headers"}
  POST /post, PUT /put, PATCH /patch, DELETE /delete
                       the same plus "body" (the request body as text)
  GET  /status/N       an empty answer with status N
  GET  /redirect       302 to /get
  GET  /text           a plain-text answer "hello\\n" (utf-8)
  GET  /text-nocharset "café\\n" in utf-8, as text/plain with no charset
  GET  /bytes          eight bytes 00..07, application/octet-stream
  GET  /slow?s=SECS    waits, then answers like /get
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def _send(self, status, body=b"", ctype="application/json", extra=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _echo(self, body=None):
        url = urlsplit(self.path)
        out = {
            "method": self.command,
            "path": url.path,
            "args": {k: v[0] if len(v) == 1 else v for k, v in parse_qs(url.query).items()},
            "headers": {k.lower(): v for k, v in self.headers.items()
                        if k.lower() not in ("host", "user-agent", "accept-encoding",
                                             "connection", "accept", "content-length")},
        }
        if body is not None:
            out["body"] = body.decode("utf-8", "replace")
        self._send(200, json.dumps(out, sort_keys=True).encode())

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path.startswith("/status/"):
            self._send(int(url.path.rsplit("/", 1)[1]), b"")
        elif url.path == "/redirect":
            self._send(302, b"", extra={"Location": "/get"})
        elif url.path == "/text":
            self._send(200, b"hello\n", "text/plain; charset=utf-8")
        elif url.path == "/text-nocharset":
            self._send(200, "café\n".encode("utf-8"), "text/plain")
        elif url.path == "/bytes":
            self._send(200, bytes(range(8)), "application/octet-stream")
        elif url.path == "/slow":
            time.sleep(float(parse_qs(url.query).get("s", ["0.2"])[0]))
            self._echo()
        else:
            self._echo()

    def do_HEAD(self):
        self.do_GET()

    def do_POST(self):
        self._echo(self._body())

    do_PUT = do_POST
    do_PATCH = do_POST

    def do_DELETE(self):
        self._echo(self._body())


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # a client that gave up (a timeout test) closes its socket early
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def main():
    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    tmp = sys.argv[1] + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    import os
    os.rename(tmp, sys.argv[1])
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
