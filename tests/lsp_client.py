#!/usr/bin/env python3
"""A scripted LSP client for `asyncmod server`, for tests/lsp.sh.

Usage: lsp_client.py ASYNCMOD WORKDIR

Runs the cases below against the server, each with its own timeouts,
and prints one "PASS: name" or "FAIL: name" line per check. The client
keeps its own copy of every document and applies the changes it sends
(UTF-16 or UTF-8 positions, as negotiated) and the edits the server
gives back, so what the server sees and what an editor would show can be
compared with `asyncmod check --fix --stdin-filename` run on that copy.
"""

import json
import os
import queue
import subprocess
import sys
import threading
import time

ASYNCMOD = sys.argv[1]
WORK = sys.argv[2]
TIMEOUT = 30.0

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("PASS: " if ok else "FAIL: ") + name, flush=True)
    if not ok and detail:
        for line in str(detail).splitlines()[:20]:
            print("      " + line, flush=True)


def frame(obj):
    body = json.dumps(obj, ensure_ascii=False).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Server:
    def __init__(self, cwd=WORK):
        self.proc = subprocess.Popen([ASYNCMOD, "server"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
        self.messages = queue.Queue()
        self.next_id = 0
        self.encoding = "utf-16"
        self.texts = {}
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.stderr = b""
        self.err_reader = threading.Thread(target=self._read_err, daemon=True)
        self.err_reader.start()

    def _read_err(self):
        self.stderr = self.proc.stderr.read()

    def _read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            line = out.readline()
            if not line:
                self.messages.put(None)
                return
            while line not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
                line = out.readline()
            body = out.read(int(headers["content-length"]))
            self.messages.put(json.loads(body.decode("utf-8")))

    def send_raw(self, data):
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass

    def send(self, *objs):
        self.send_raw(b"".join(frame(o) for o in objs))

    def request_msg(self, method, params=None):
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            msg["params"] = params
        return msg

    def notify(self, method, params=None):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)

    def wait(self, pred, timeout=TIMEOUT):
        """The first message `pred` accepts; the others seen are kept in `skipped`."""
        deadline = time.monotonic() + timeout
        self.skipped = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                m = self.messages.get(timeout=left)
            except queue.Empty:
                return None
            if m is None:
                self.messages.put(None)
                return None
            if pred(m):
                return m
            self.skipped.append(m)

    def request(self, method, params=None, timeout=TIMEOUT):
        msg = self.request_msg(method, params)
        self.send(msg)
        return self.wait(lambda m: m.get("id") == msg["id"] and "method" not in m, timeout)

    def diagnostics(self, uri, timeout=TIMEOUT):
        m = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                      and m["params"]["uri"] == uri, timeout)
        return m["params"] if m else None

    def initialize(self, encodings=None, document_changes=False, resolve=False):
        caps = {"workspace": {"workspaceEdit": {"documentChanges": document_changes}}}
        if resolve:
            caps["textDocument"] = {"codeAction": {"resolveSupport": {"properties": ["edit"]}}}
        if encodings is not None:
            caps["general"] = {"positionEncodings": encodings}
        r = self.request("initialize", {"processId": os.getpid(), "rootUri": None,
                                        "capabilities": caps})
        if r and "result" in r:
            self.encoding = r["result"]["capabilities"].get("positionEncoding", "utf-16")
            self.notify("initialized", {})
        return r

    def open(self, path, text, version=1):
        uri = "file://" + path
        self.texts[uri] = text
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": version, "text": text}})
        return uri

    def change(self, uri, changes, version):
        """Sends changes [(range or None, text)] and applies them to the copy."""
        events = []
        for rng, text in changes:
            if rng is None:
                self.texts[uri] = text
                events.append({"text": text})
            else:
                self.texts[uri] = apply_edit(self.texts[uri], rng, text, self.encoding)
                events.append({"range": rng, "text": text})
        self.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": events})

    def finish(self, timeout=TIMEOUT):
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return "hung"


def units(s, encoding):
    if encoding == "utf-8":
        return len(s.encode("utf-8"))
    if encoding == "utf-32":
        return len(s)
    return len(s.encode("utf-16-le")) // 2


def split_lines(text):
    """Lines with their ends, as LSP counts them (LF, CR LF, CR)."""
    lines, start, i = [], 0, 0
    while i < len(text):
        if text[i] == "\r" and text[i + 1:i + 2] == "\n":
            lines.append(text[start:i + 2])
            i += 2
            start = i
            continue
        if text[i] in "\r\n":
            lines.append(text[start:i + 1])
            start = i + 1
        i += 1
    lines.append(text[start:])
    return lines


def offset(text, pos, encoding):
    """Index in `text` of an LSP position."""
    lines = split_lines(text)
    if pos["line"] >= len(lines):
        return len(text)
    base = sum(len(x) for x in lines[:pos["line"]])
    line = lines[pos["line"]].rstrip("\r\n")
    u = 0
    for i, ch in enumerate(line):
        if u >= pos["character"]:
            return base + i
        u += units(ch, encoding)
    return base + len(line)


def position(text, index, encoding):
    lines = split_lines(text)
    base = 0
    for n, line in enumerate(lines):
        if index <= base + len(line.rstrip("\r\n")) or n == len(lines) - 1:
            return {"line": n, "character": units(text[base:index], encoding)}
        base += len(line)
    raise AssertionError("unreachable")


def apply_edit(text, rng, new, encoding):
    a = offset(text, rng["start"], encoding)
    b = offset(text, rng["end"], encoding)
    return text[:a] + new + text[b:]


def apply_workspace_edit(texts, edit, encoding):
    """Applies a WorkspaceEdit to the copies; returns the URIs changed."""
    changed = []
    if "documentChanges" in edit:
        pairs = [(c["textDocument"]["uri"], c["edits"]) for c in edit["documentChanges"]]
    else:
        pairs = list(edit.get("changes", {}).items())
    for uri, edits in pairs:
        text = texts[uri]
        # edits do not overlap: apply from the end
        for e in sorted(edits, key=lambda e: (e["range"]["start"]["line"],
                                              e["range"]["start"]["character"]), reverse=True):
            text = apply_edit(text, e["range"], e["newText"], encoding)
        texts[uri] = text
        changed.append(uri)
    return changed


def cli_fix(text, path, *extra):
    r = subprocess.run([ASYNCMOD, "check", "--fix", "--stdin-filename", path] + list(extra),
                       input=text.encode("utf-8"), capture_output=True, cwd=WORK, timeout=TIMEOUT)
    return r.stdout.decode("utf-8")


def compiles(text):
    try:
        compile(text, "<fixed>", "exec")
        return True
    except SyntaxError:
        return False


def codes(diag):
    return sorted(d["code"] for d in diag["diagnostics"]) if diag else None


def error_code(msg):
    return msg["error"]["code"] if msg and "error" in msg else None


FIXTURE = (
    "import asyncio\n"
    "import subprocess\n"
    "import time\n"
    "\n"
    "\n"
    "async def main():\n"
    "    s = \"😀😀\"; loop = asyncio.get_event_loop()\n"
    "    subprocess.run([\"ls\", s])\n"
    "    time.sleep(1)\n"
    "    return loop\n"
)


def case_lifecycle():
    srv = Server()
    r = srv.request("textDocument/codeAction", {})
    check("a request before initialize: ServerNotInitialized", error_code(r) == -32002, r)
    path = os.path.join(WORK, "early.py")
    srv.open(path, FIXTURE)	# dropped: not initialized
    r = srv.initialize(["utf-16"])
    caps = r["result"]["capabilities"] if r and "result" in r else {}
    check("initialize: utf-16, incremental sync, code actions",
          caps.get("positionEncoding") == "utf-16"
          and caps.get("textDocumentSync", {}).get("change") == 2
          and caps.get("textDocumentSync", {}).get("openClose") is True
          and "source.fixAll.asyncmod" in caps.get("codeActionProvider", {}).get(
              "codeActionKinds", []), r)
    check("a notification before initialize is dropped",
          not any(m.get("method") == "textDocument/publishDiagnostics" for m in srv.skipped),
          srv.skipped)
    r = srv.request("initialize", {"capabilities": {}})
    check("a second initialize: InvalidRequest", error_code(r) == -32600, r)
    r = srv.request("shutdown")
    check("shutdown: null result", r is not None and "result" in r and r["result"] is None, r)
    r = srv.request("textDocument/codeAction", {})
    check("a request after shutdown: InvalidRequest", error_code(r) == -32600, r)
    srv.notify("exit")
    rc = srv.finish()
    check("exit after shutdown: status 0", rc == 0, "status %s" % rc)

    srv = Server()
    srv.initialize()
    srv.notify("exit")
    rc = srv.finish()
    check("exit without shutdown: status 1", rc == 1, "status %s" % rc)

    srv = Server()
    srv.initialize()
    rc = srv.finish()
    check("end of input without exit: status 1", rc == 1, "status %s" % rc)


def case_diagnostics(encodings, expect):
    srv = Server()
    srv.initialize(encodings)
    check("%s: the negotiated encoding" % expect, srv.encoding == expect, srv.encoding)
    path = os.path.join(WORK, "pkg", "app.py")
    uri = srv.open(path, FIXTURE)
    d = srv.diagnostics(uri)
    check("%s: diagnostics on open" % expect,
          codes(d) == ["AM105", "ASYNC221", "ASYNC251"] and d["version"] == 1, d)
    am105 = [x for x in d["diagnostics"] if x["code"] == "AM105"] if d else []
    text = srv.texts[uri]
    at = text.index("asyncio.get_event_loop()")
    want = {"start": position(text, at, expect),
            "end": position(text, at + len("asyncio.get_event_loop()"), expect)}
    check("%s: the range after non-BMP characters" % expect,
          am105 and am105[0]["range"] == want, (am105, want))
    first = d["diagnostics"][0] if d else {}
    check("%s: source, severity and the explain pointer" % expect,
          first.get("source") == "asyncmod" and first.get("severity") == 2
          and first.get("data", {}).get("explain", "").startswith("asyncmod explain "), first)

    # an incremental change right after the surrogate pairs: rename the call
    line = 6
    col = units("    s = \"😀😀\"; loop = asyncio.", expect)
    rng = {"start": {"line": line, "character": col},
           "end": {"line": line, "character": col + len("get_event_loop")}}
    srv.change(uri, [(rng, "get_running_loop")], 2)
    d = srv.diagnostics(uri)
    check("%s: an incremental change after surrogate pairs" % expect,
          codes(d) == ["ASYNC221", "ASYNC251"] and d["version"] == 2, d)
    # several changes in one message, one inserting a multi-byte character
    srv.change(uri, [
        ({"start": {"line": 9, "character": 4}, "end": {"line": 9, "character": 4}},
         "print(\"ü😀\")\n    "),
        ({"start": {"line": 9, "character": units("    print(\"ü😀", expect)},
          "end": {"line": 9, "character": units("    print(\"ü😀", expect)}}, "é"),
    ], 3)
    d = srv.diagnostics(uri)
    r = srv.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0},
                                                "end": {"line": 0, "character": 0}},
        "context": {"diagnostics": [], "only": ["source.fixAll"]}})
    acts = r.get("result") if r else None
    want_text = cli_fix(srv.texts[uri], path)
    ok = bool(acts) and len(acts) == 1 and acts[0]["kind"] == "source.fixAll.asyncmod"
    if ok:
        copy = dict(srv.texts)
        apply_workspace_edit(copy, acts[0]["edit"], expect)
        ok = copy[uri] == want_text and copy[uri] != srv.texts[uri]
    check("%s: after incremental edits the server's text is the client's "
          "(fixAll equals check --fix of the client's copy)" % expect, ok, acts)

    # a full change
    srv.change(uri, [(None, "import time\n\n\nasync def f():\n    time.sleep(2)\n")], 4)
    d = srv.diagnostics(uri)
    check("%s: a full change" % expect, codes(d) == ["ASYNC251"] and d["version"] == 4, d)
    srv.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    d = srv.diagnostics(uri)
    check("%s: diagnostics on save" % expect, codes(d) == ["ASYNC251"], d)
    srv.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    d = srv.diagnostics(uri)
    check("%s: diagnostics cleared on close" % expect, d is not None and d["diagnostics"] == [],
          d)
    srv.request("shutdown")
    srv.notify("exit")
    check("%s: clean exit" % expect, srv.finish() == 0, srv.stderr)


def actions(srv, uri, start, end, only=None):
    ctx = {"diagnostics": []}
    if only is not None:
        ctx["only"] = only
    r = srv.request("textDocument/codeAction", {"textDocument": {"uri": uri},
                                                "range": {"start": start, "end": end},
                                                "context": ctx})
    return r.get("result") if r else None


def case_code_actions(document_changes):
    label = "documentChanges" if document_changes else "changes"
    srv = Server()
    srv.initialize(document_changes=document_changes)
    path = os.path.join(WORK, "pkg", "act.py")
    uri = srv.open(path, FIXTURE)
    srv.diagnostics(uri)
    whole = ({"line": 0, "character": 0}, {"line": 20, "character": 0})
    acts = actions(srv, uri, *whole)
    titles = sorted(a["title"] for a in acts or [])
    quick = [a for a in acts or [] if a["kind"] == "quickfix"]
    check("%s: a quick fix per finding, the unsafe one labelled, and fixAll" % label,
          len(quick) == 3 and any(t.startswith("Fix AM105: ") for t in titles)
          and any(t.startswith("Fix ASYNC251: ") and t.endswith("(unsafe)") for t in titles)
          and not any(t.startswith("Fix ASYNC221") and "(unsafe)" in t for t in titles)
          and any(a["kind"] == "source.fixAll.asyncmod" for a in acts), titles)
    again = actions(srv, uri, *whole)
    check("%s: asked again for the same text, the same actions" % label, again == acts,
          (acts, again))
    check("%s: each quick fix names its diagnostic" % label,
          all(a.get("diagnostics") and a["diagnostics"][0]["code"] in a["title"]
              for a in quick), quick)
    key = "documentChanges" if document_changes else "changes"
    check("%s: the WorkspaceEdit form the client takes" % label,
          all(key in a["edit"] for a in acts or []), acts)
    # a range on line 9 (time.sleep) gets that finding's fix only
    line9 = actions(srv, uri, {"line": 8, "character": 6}, {"line": 8, "character": 6},
                    ["quickfix"])
    check("%s: a range gets the fixes of the findings it touches" % label,
          line9 is not None and [a["title"].split(":")[0] for a in line9] == ["Fix ASYNC251"],
          line9)
    # apply the unsafe quick fix, send the new text, its finding is gone
    a = line9[0] if line9 else None
    if a:
        copy = dict(srv.texts)
        apply_workspace_edit(copy, a["edit"], srv.encoding)
        new = copy[uri]
        check("%s: the unsafe quick fix gives code that compiles" % label,
              compiles(new) and "await asyncio.sleep(1)" in new, new)
        srv.change(uri, [(None, new)], 2)
        d = srv.diagnostics(uri)
        check("%s: applied, its diagnostic goes" % label,
              codes(d) == ["AM105", "ASYNC221"], d)
    # a fix that adds an import far from its finding: one edit per changed block
    far = os.path.join(WORK, "pkg", "far.py")
    furi = srv.open(far, "import subprocess\n\n\nasync def main():\n    x = 1\n"
                    "    subprocess.run([\"ls\"])\n    return x\n")
    srv.diagnostics(furi)
    fa = actions(srv, furi, {"line": 5, "character": 4}, {"line": 5, "character": 4},
                 ["quickfix"])
    if fa:
        e = fa[0]["edit"]
        edits = (e["documentChanges"][0]["edits"] if "documentChanges" in e
                 else e["changes"][furi])
        copy = dict(srv.texts)
        apply_workspace_edit(copy, e, srv.encoding)
    check("%s: an import added far from the fix: two edits, the text check --fix writes"
          % label, fa and len(edits) == 2 and copy[furi] == cli_fix(srv.texts[furi], far),
          fa)
    # fixAll: what check --fix writes
    acts = actions(srv, uri, *whole, only=["source.fixAll.asyncmod"])
    want = cli_fix(srv.texts[uri], path)
    if acts:
        copy = dict(srv.texts)
        apply_workspace_edit(copy, acts[0]["edit"], srv.encoding)
    check("%s: fixAll is what check --fix writes" % label,
          acts and len(acts) == 1 and copy[uri] == want, (acts, want))
    only_q = actions(srv, uri, *whole, only=["quickfix"])
    check("%s: only quickfix leaves fixAll out" % label,
          only_q is not None and all(a["kind"] == "quickfix" for a in only_q), only_q)
    none = actions(srv, uri, *whole, only=["refactor"])
    check("%s: an unrelated kind gets nothing" % label, none == [], none)
    r = srv.request("textDocument/codeAction", {
        "textDocument": {"uri": "file:///nowhere/not-open.py"},
        "range": {"start": whole[0], "end": whole[1]}, "context": {"diagnostics": []}})
    check("%s: a document not open gets no actions" % label,
          r is not None and r.get("result") == [], r)
    srv.request("shutdown")
    srv.notify("exit")
    srv.finish()


def case_resolve():
    srv = Server()
    srv.initialize(resolve=True)
    path = os.path.join(WORK, "pkg", "res.py")
    uri = srv.open(path, FIXTURE)
    srv.diagnostics(uri)
    whole = ({"line": 0, "character": 0}, {"line": 20, "character": 0})
    acts = actions(srv, uri, *whole, only=["source.fixAll"])
    lazy = acts[0] if acts else {}
    check("resolve: fixAll is offered without its edit", acts and len(acts) == 1
          and "edit" not in lazy and "data" in lazy, acts)
    r = srv.request("codeAction/resolve", lazy)
    ok = r is not None and "edit" in r.get("result", {})
    if ok:
        copy = dict(srv.texts)
        apply_workspace_edit(copy, r["result"]["edit"], srv.encoding)
        ok = copy[uri] == cli_fix(srv.texts[uri], path)
    check("resolve: the resolved edit is what check --fix writes", ok, r)
    quick = actions(srv, uri, *whole, only=["quickfix"])
    check("resolve: quick fixes still carry their edit",
          quick and all("edit" in a for a in quick), quick)
    srv.change(uri, [(None, FIXTURE + "\n")], 2)
    srv.diagnostics(uri)
    r = srv.request("codeAction/resolve", lazy)
    check("resolve: after a change the old action is ContentModified",
          error_code(r) == -32801, r)
    r = srv.request("codeAction/resolve", {"title": "x", "kind": "quickfix"})
    check("resolve: an action not of this server: InvalidParams", error_code(r) == -32602, r)
    srv.request("shutdown")
    srv.notify("exit")
    check("resolve: clean exit", srv.finish() == 0, srv.stderr)


def case_config():
    os.makedirs(os.path.join(WORK, "proj", "src"), exist_ok=True)
    os.makedirs(os.path.join(WORK, "proj", "build"), exist_ok=True)
    with open(os.path.join(WORK, "proj", "pyproject.toml"), "w") as f:
        f.write("[tool.asyncmod]\nignore = [\"AM105\"]\nexclude = [\"build\"]\n"
                "[tool.asyncmod.per-file-ignores]\n\"src/legacy.py\" = [\"ASYNC221\"]\n")
    srv = Server(cwd="/")
    srv.initialize()
    uri = srv.open(os.path.join(WORK, "proj", "src", "m.py"), FIXTURE)
    d = srv.diagnostics(uri)
    check("config: the pyproject.toml above the file (cwd elsewhere)",
          codes(d) == ["ASYNC221", "ASYNC251"], d)
    uri = srv.open(os.path.join(WORK, "proj", "src", "legacy.py"), FIXTURE)
    d = srv.diagnostics(uri)
    check("config: per-file-ignores", codes(d) == ["ASYNC251"], d)
    uri = srv.open(os.path.join(WORK, "proj", "build", "gen.py"), FIXTURE)
    d = srv.diagnostics(uri)
    check("config: an excluded file gets no diagnostics", d is not None and codes(d) == [], d)
    uri = srv.open(os.path.join(WORK, "outside.py"), FIXTURE)
    d = srv.diagnostics(uri)
    check("config: a file without configuration: every rule",
          codes(d) == ["AM105", "ASYNC221", "ASYNC251"], d)
    with open(os.path.join(WORK, "proj", "pyproject.toml"), "w") as f:
        f.write("[tool.asyncmod]\nselect = [\"NOPE1\"]\n")
    uri = srv.open(os.path.join(WORK, "proj", "src", "m.py"), FIXTURE, 2)
    d = srv.diagnostics(uri)
    logs = [m for m in srv.skipped if m.get("method") == "window/logMessage"]
    check("config: a broken configuration is logged, not a crash",
          d is not None and d["diagnostics"] == [] and any("NOPE1" in m["params"]["message"]
                                                           for m in logs), (d, logs))
    srv.request("shutdown")
    srv.notify("exit")
    check("config: clean exit", srv.finish() == 0, srv.stderr)


def case_cancel():
    srv = Server()
    srv.initialize()
    uri = srv.open(os.path.join(WORK, "c.py"), FIXTURE)
    srv.diagnostics(uri)
    req = srv.request_msg("textDocument/codeAction", {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}},
        "context": {"diagnostics": []}})
    cancel = {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": req["id"]}}
    after = srv.request_msg("shutdown")
    srv.send(req, cancel, after)
    r = srv.wait(lambda m: m.get("id") == req["id"])
    check("a request cancelled while waiting: RequestCancelled", error_code(r) == -32800, r)
    r = srv.wait(lambda m: m.get("id") == after["id"])
    check("the next request is answered", r is not None and "result" in r, r)
    # cancelling a request already answered does nothing
    srv.notify("$/cancelRequest", {"id": req["id"]})
    srv.notify("exit")
    check("cancel: clean exit", srv.finish() == 0, srv.stderr)


def case_malformed():
    srv = Server()
    srv.initialize()
    r = srv.request("workspace/notAThing", {})
    check("an unknown request: MethodNotFound", error_code(r) == -32601, r)
    srv.notify("workspace/notAThing", {})
    srv.notify("$/setTrace", {"value": "off"})
    r = srv.request("$/notAThing", {})
    check("an unknown notification gets no response, the next request does",
          error_code(r) == -32601 and not [m for m in srv.skipped if "id" in m], srv.skipped)
    srv.send_raw(b"Content-Length: 8\r\n\r\n{\"jsonrp")
    r = srv.wait(lambda m: "error" in m)
    check("bad JSON: ParseError with id null",
          error_code(r) == -32700 and r.get("id", "absent") is None, r)
    srv.send_raw(b"Content-Type: application/vscode-jsonrpc\r\n\r\n{}")
    r = srv.wait(lambda m: "error" in m)
    check("a header without Content-Length: ParseError", error_code(r) == -32700, r)
    srv.send_raw(b"Content-Length: 12ab\r\n\r\n")
    r = srv.wait(lambda m: "error" in m)
    check("a bad Content-Length: ParseError", error_code(r) == -32700, r)
    srv.send_raw(b"Content-Length: 99999999999999999999\r\n\r\n")
    r = srv.wait(lambda m: "error" in m)
    check("a huge Content-Length: ParseError", error_code(r) == -32700, r)
    srv.send_raw(b"garbage line\r\n\r\n")
    r = srv.wait(lambda m: "error" in m)
    check("a garbage header: ParseError", error_code(r) == -32700, r)
    r = srv.request("shutdown")
    check("after bad frames the server still answers", r is not None and "result" in r, r)
    srv.proc.kill()
    srv.finish()

    srv = Server()
    srv.initialize()
    srv.send([{"jsonrpc": "2.0", "id": 1, "method": "shutdown"}])
    r = srv.wait(lambda m: "error" in m)
    check("a batch (array): InvalidRequest", error_code(r) == -32600, r)
    srv.send({"jsonrpc": "2.0", "id": {"x": 1}, "method": "shutdown"})
    r = srv.wait(lambda m: "error" in m)
    check("an id that is an object: InvalidRequest", error_code(r) == -32600, r)
    srv.send({"jsonrpc": "1.0", "id": 7, "method": "shutdown"})
    r = srv.wait(lambda m: m.get("id") == 7)
    check("jsonrpc not 2.0: InvalidRequest", error_code(r) == -32600, r)
    srv.send({"jsonrpc": "2.0", "id": 8, "method": 42})
    r = srv.wait(lambda m: m.get("id") == 8)
    check("a method that is not a string: InvalidRequest", error_code(r) == -32600, r)
    srv.send({"jsonrpc": "2.0", "id": 9, "method": "textDocument/codeAction", "params": 3})
    r = srv.wait(lambda m: m.get("id") == 9)
    check("params that are a number: InvalidParams", error_code(r) == -32602, r)
    uri = srv.open(os.path.join(WORK, "m.py"), FIXTURE)
    srv.diagnostics(uri)
    for n, params in enumerate([
            {"textDocument": {"uri": uri}, "range": "x", "context": {}},
            {"textDocument": {"uri": uri},
             "range": {"start": {"line": -1, "character": 0}, "end": {"line": 0, "character": 0}},
             "context": {}},
            {"textDocument": {"uri": uri},
             "range": {"start": {"line": 2, "character": 0}, "end": {"line": 1, "character": 0}},
             "context": {}},
            {"textDocument": {"uri": 5}, "range": {}, "context": {}},
            {"textDocument": {"uri": uri},
             "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
             "context": {"only": "quickfix"}},
    ]):
        r = srv.request("textDocument/codeAction", params)
        check("codeAction with bad params %d: InvalidParams" % n, error_code(r) == -32602, r)
    # bad notifications: logged, no crash, no response
    srv.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                          "contentChanges": [{"range": 5, "text": "x"}]})
    srv.notify("textDocument/didChange", {"textDocument": {"uri": uri}, "contentChanges": 3})
    srv.notify("textDocument/didOpen", {"textDocument": 3})
    srv.notify("textDocument/didClose", {})
    srv.notify("textDocument/didSave", None)
    d = srv.diagnostics(uri)
    check("a change that cannot be applied: the document is out of step, "
          "its diagnostics are cleared", d is not None and d["diagnostics"] == [], d)
    acts = actions(srv, uri, {"line": 0, "character": 0}, {"line": 9, "character": 0})
    check("... and it gets no code actions", acts == [], acts)
    srv.change(uri, [(None, FIXTURE)], 3)
    d = srv.diagnostics(uri)
    check("a whole text brings it back", codes(d) == ["AM105", "ASYNC221", "ASYNC251"], d)
    # a change past the end of the text is clamped to it
    srv.change(uri, [({"start": {"line": 99, "character": 0},
                       "end": {"line": 99, "character": 5}}, "x = 1\n")], 4)
    d = srv.diagnostics(uri)
    check("a change past the end is clamped to the end",
          d is not None and d["version"] == 4 and len(d["diagnostics"]) == 3, d)
    r = srv.request("shutdown")
    check("after bad params the server still answers", r is not None and "result" in r, r)
    srv.notify("exit")
    rc = srv.finish()
    check("malformed input: no crash, status 0", rc == 0, "status %s %s" % (rc, srv.stderr))


def case_crlf_bom():
    srv = Server()
    srv.initialize()
    text = "\ufeffimport asyncio\r\n\r\n\r\nasync def f():\r\n    return asyncio.get_event_loop()\r\n"
    path = os.path.join(WORK, "crlf.py")
    uri = srv.open(path, text)
    d = srv.diagnostics(uri)
    want = {"start": {"line": 4, "character": 11}, "end": {"line": 4, "character": 35}}
    check("CRLF and a BOM: the range", d and d["diagnostics"] and
          d["diagnostics"][0]["range"] == want, d)
    acts = actions(srv, uri, {"line": 0, "character": 0}, {"line": 9, "character": 0},
                   ["source.fixAll.asyncmod"])
    if acts:
        copy = dict(srv.texts)
        apply_workspace_edit(copy, acts[0]["edit"], srv.encoding)
    check("CRLF and a BOM: fixAll keeps them",
          acts and copy[uri] == text.replace("get_event_loop", "get_running_loop"), acts)
    srv.request("shutdown")
    srv.notify("exit")
    srv.finish()


def main():
    os.makedirs(os.path.join(WORK, "pkg"), exist_ok=True)
    cases = [case_lifecycle, lambda: case_diagnostics(["utf-16"], "utf-16"),
             lambda: case_diagnostics(["utf-8", "utf-16"], "utf-8"),
             lambda: case_diagnostics(None, "utf-16"),
             lambda: case_code_actions(False), lambda: case_code_actions(True),
             case_resolve, case_config, case_cancel, case_malformed, case_crlf_bom]
    for case in cases:
        try:
            case()
        except Exception as e:	# a broken case fails, the others still run
            import traceback
            check("case %s ran" % getattr(case, "__name__", "?"), False,
                  traceback.format_exc())
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
