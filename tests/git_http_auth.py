"""A smart-HTTP git server for the tests: `git http-backend` behind basic auth.

Usage: git_http_auth.py ROOT PORTFILE USER:PASSWORD...

Serves the repositories below ROOT as http://127.0.0.1:PORT/NAME.git (clone,
fetch and push). Every request must carry one of the USER:PASSWORD pairs as
HTTP basic credentials, else it gets 401. The port is written to PORTFILE
once the server listens. /moved/PATH answers 302 to the same server by
another name, http://localhost:PORT/PATH. Each request is logged to stderr as
"METHOD PATH STATUS USER" (the user the request was let in as, or -).
"""
import base64
import os
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BACKEND = "/usr/lib/git-core/git-http-backend"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, fmt, *args):
        pass

    def _user(self):
        auth = self.headers.get("Authorization") or ""
        if not auth.startswith("Basic "):
            return None
        try:
            pair = base64.b64decode(auth[6:], validate=True).decode("utf-8")
        except ValueError:
            return None
        return pair.split(":", 1)[0] if pair in self.server.accepted else None

    def _body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return out
                out += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _log(self, status, user):
        sys.stderr.write("%s %s %s %s\n" % (self.command, self.path, status, user or "-"))
        sys.stderr.flush()

    def _serve(self):
        body = self._body()
        if self.path.startswith("/moved/"):
            self._log(302, None)
            self.send_response(302)
            self.send_header("Location", "http://localhost:%d/%s" % (
                self.server.server_address[1], self.path[len("/moved/"):]))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        user = self._user()
        if user is None:
            self._log(401, None)
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="test"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        path, _, query = self.path.partition("?")
        env = dict(os.environ)
        env.update({
            "GIT_PROJECT_ROOT": self.server.root,
            "GIT_HTTP_EXPORT_ALL": "1",
            "REQUEST_METHOD": self.command,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "CONTENT_TYPE": self.headers.get("Content-Type") or "",
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_USER": user,
            "REMOTE_ADDR": "127.0.0.1",
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_PROTOCOL": "HTTP/1.0",
        })
        if self.headers.get("Content-Encoding"):
            env["HTTP_CONTENT_ENCODING"] = self.headers["Content-Encoding"]
        if self.headers.get("Git-Protocol"):
            env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
        out = subprocess.run([BACKEND], input=body, env=env, stdout=subprocess.PIPE,
                             check=False).stdout
        head, _, payload = out.partition(b"\r\n\r\n")
        if not _:
            head, _, payload = out.partition(b"\n\n")
        status, headers = 200, []
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.split()[0])
            elif name:
                headers.append((name, value.strip()))
        self._log(status, user)
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = _serve
    do_POST = _serve


def main():
    root, portfile, pairs = sys.argv[1], sys.argv[2], sys.argv[3:]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.root = os.path.abspath(root)
    server.accepted = set(pairs)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(portfile + ".tmp", portfile)
    server.serve_forever()


if __name__ == "__main__":
    main()
