"""Runs CPython's test_asyncio (or some of its tests) under unittest and
writes one line per test: its id, its outcome and, for a failure or an
error, the last line of the exception.

usage: testsuite_run.py OUT TEST_ROOT ASYNCIO_ROOT [NAME...]

TEST_ROOT must hold the `test` package that gets imported, ASYNCIO_ROOT
the `asyncio` package; both are checked before and after the run, on every
module of those packages that was loaded, so the copies are provably what
ran. With no NAME the whole of test.test_asyncio runs, else the modules,
classes or tests named (a module that fails to import is written as the
whole run's discovery writes it).

SIGINT gets Python's own handler back: a job started in the background
inherits SIGINT ignored, Python then keeps it ignored, and the tests that
interrupt asyncio.run() with SIGINT wait forever.
"""
import os
import signal
import sys
import time
import unittest

signal.signal(signal.SIGINT, signal.default_int_handler)

out_path, test_root, asyncio_root = sys.argv[1:4]
wanted = sys.argv[4:]


def under(path, root):
    path = os.path.realpath(path)
    root = os.path.realpath(root)
    return path.startswith(root + os.sep)


def prove():
    """Every loaded module of test and asyncio comes from its copy."""
    bad = []
    for name, mod in sorted(sys.modules.items()):
        top = name.split(".")[0]
        if top not in ("test", "asyncio"):
            continue
        path = getattr(mod, "__file__", None)
        if path is None:
            continue
        root = test_root if top == "test" else asyncio_root
        if not under(path, root):
            bad.append("%s from %s, not below %s" % (name, path, root))
    return bad


import asyncio  # noqa: E402
import test  # noqa: E402
import test.support  # noqa: E402
import test.test_asyncio  # noqa: E402

print("asyncio from", asyncio.__file__, file=sys.stderr)
print("test from", test.__file__, file=sys.stderr)
print("test.test_asyncio from", test.test_asyncio.__file__, file=sys.stderr)
bad = prove()
if bad:
    print("not the copies:\n  " + "\n  ".join(bad), file=sys.stderr)
    sys.exit(3)


def last_line(err):
    """The exception of an outcome, on one line."""
    exc = err[1]
    lines = [x for x in ("%s: %s" % (type(exc).__name__, exc)).splitlines() if x.strip()]
    if len(lines) > 1:
        # a failed import: its first line names the module, its last the error
        return (lines[0] + " ... " + lines[-1].strip())[:300]
    return lines[0][:300] if lines else ""


class TestTimeout(Exception):
    """A test ran longer than TESTSUITE_TEST_LIMIT seconds."""


def on_alarm(signum, frame):
    raise TestTimeout("still running after %d s" % TEST_LIMIT)


TEST_LIMIT = int(os.environ.get("TESTSUITE_TEST_LIMIT", "60"))


class Recorder(unittest.TextTestResult):
    """Keeps each test's outcome; a failed subtest fails its test. Each
    test gets TEST_LIMIT seconds (SIGALRM, set again before each test as a
    test may take it over), and its outcome is written as soon as it
    ends, so a run killed on the way keeps what it had."""

    outcomes = {}
    partial = None

    def startTest(self, test):
        super().startTest(test)
        signal.signal(signal.SIGALRM, on_alarm)
        signal.alarm(TEST_LIMIT)

    def stopTest(self, test):
        signal.alarm(0)
        super().stopTest(test)
        got = self.outcomes.get(test.id())
        if got and self.partial:
            self.partial.write("%s\t%s\t%s\n" % (test.id(), got[0], got[1].replace("\t", " ")))
            self.partial.flush()

    def put(self, test, outcome, note=""):
        tid = test.id()
        old = self.outcomes.get(tid)
        if old and old[0] in ("FAIL", "ERROR") and outcome == "ok":
            return
        self.outcomes[tid] = (outcome, note)

    def addSuccess(self, test):
        super().addSuccess(test)
        self.put(test, "ok")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.put(test, "FAIL", last_line(err))

    def addError(self, test, err):
        super().addError(test, err)
        self.put(test, "ERROR", last_line(err))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.put(test, "skipped")

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self.put(test, "xfail")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self.put(test, "xpass")

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            failed = issubclass(err[0], test.failureException)
            self.put(test, "FAIL" if failed else "ERROR", last_line(err))


loader = unittest.TestLoader()
failed_loads = {}
suite = unittest.TestSuite()
for name in wanted or ["test.test_asyncio"]:
    try:
        suite.addTest(loader.loadTestsFromName(name))
    except unittest.SkipTest as e:
        # a module skipped as a whole (test_windows_events), as discovery has it
        failed_loads["unittest.loader.ModuleSkipped." + name] = ("skipped", str(e))
    except Exception as e:
        # The loader only catches ImportError; a module that raises
        # anything else on import is recorded as the whole suite's
        # discovery records it.
        tid = "unittest.loader._FailedTest." + name
        failed_loads[tid] = ("ERROR", last_line((type(e), e, None)))
        print("%s ... ERROR\n%s" % (tid, failed_loads[tid][1]), file=sys.stderr)
start = time.monotonic()
Recorder.partial = open(out_path, "w")
unittest.TextTestRunner(resultclass=Recorder, verbosity=2).run(suite)
print("ran in %.0f s" % (time.monotonic() - start), file=sys.stderr)
Recorder.partial.close()
outcomes = dict(Recorder.outcomes)
outcomes.update(failed_loads)
with open(out_path, "w") as f:
    for tid in sorted(outcomes):
        outcome, note = outcomes[tid]
        f.write("%s\t%s\t%s\n" % (tid, outcome, note.replace("\t", " ")))
bad = prove()
if bad:
    print("not the copies:\n  " + "\n  ".join(bad), file=sys.stderr)
    sys.exit(3)
