"""
asyncmod_build: the PEP 517 build backend of asyncmod (pyproject.toml names it).

asyncmod is a C program built with autotools. This backend runs that build
and packs what `make install-strip` installs into a wheel that pip, pipx and
pre-commit install like any other:

    asyncmod-V.data/scripts/asyncmod                       -> ENV/bin/asyncmod
    asyncmod-V.data/data/share/man/man1/asyncmod.1         -> ENV/share/man/man1/
    asyncmod-V.data/data/share/bash-completion/completions/asyncmod
    asyncmod-V.data/data/share/zsh/site-functions/_asyncmod

The wheel holds no Python code: it is tagged py3-none-PLATFORM, PLATFORM
being that of the interpreter running the build (e.g. linux_x86_64).

The source tree is never written to (pip builds in the tree itself, which may
be configured and built already): the sources are copied into a temporary
folder and ./bootstrap, ./configure and make run there. Which files are the
sources: in an unpacked sdist, the ones its SOURCES.txt lists; in a git
checkout, the files git tracks plus the untracked ones it does not ignore. The
tree-sitter grammar that ./bootstrap fetches from the npm registry (into the
git-ignored deps/) is taken from the folder ASYNCMOD_TREE_SITTER_PYTHON
names, else from the source tree's deps/ when it is there, so that no
download is needed; otherwise ./bootstrap fetches and verifies it. ./bootstrap installs
no Debian packages here: the build needs what README.md's Building section
lists.

Settings (pip --config-settings, build -C): `configure-args` adds arguments
to ./configure. MAKE names make; SOURCE_DATE_EPOCH fixes the timestamps in
the archives.

The version is AC_INIT's in configure.ac. Editable installs (PEP 660) are
not offered: a C program has nothing to import from the source tree.

Only the standard library is used: pyproject.toml says `requires = []`, so
pip's build isolation needs nothing from a package index.
"""

import base64
import csv
import gzip
import hashlib
import io
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import time
import zipfile

NAME = "asyncmod"
SUMMARY = "Finds asyncio anti-patterns in Python code and fixes them with minimal text edits"
SDIST_LIST = "SOURCES.txt"
PREFIX = "/usr/local"


class BuildError(Exception):
    """A build step failed; the message says which and why."""


def _root():
    return os.path.abspath(os.getcwd())


def _version(root):
    with open(os.path.join(root, "configure.ac"), encoding="utf-8") as f:
        m = re.search(r"AC_INIT\(\[[^]]*\],\s*\[([^]]+)\]", f.read())
    if not m:
        raise BuildError("configure.ac: no AC_INIT([name], [version]) found")
    return m.group(1)


def _grammar_version(root):
    with open(os.path.join(root, "bootstrap"), encoding="utf-8") as f:
        m = re.search(r"^TSPY_VERSION=([0-9.]+)$", f.read(), re.M)
    if not m:
        raise BuildError("bootstrap: no TSPY_VERSION= line found")
    return m.group(1)


def _metadata(root):
    with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    return (
        "Metadata-Version: 2.1\n"
        f"Name: {NAME}\n"
        f"Version: {_version(root)}\n"
        f"Summary: {SUMMARY}\n"
        "Classifier: Programming Language :: C\n"
        "Classifier: Environment :: Console\n"
        "Classifier: Topic :: Software Development :: Quality Assurance\n"
        "Description-Content-Type: text/markdown\n"
        "\n" + readme
    )


def _tag():
    platform = re.sub(r"[^A-Za-z0-9]", "_", sysconfig.get_platform())
    return f"py3-none-{platform}"


def _wheel_file():
    return (
        "Wheel-Version: 1.0\n"
        f"Generator: {NAME}_build\n"
        "Root-Is-Purelib: false\n"
        f"Tag: {_tag()}\n"
    )


def _epoch():
    return int(os.environ.get("SOURCE_DATE_EPOCH", "315619200"))  # 1980-01-02


# Which files are the sources.

def _git_files(root):
    """The files of the git work tree below `root`, or None outside one."""
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             cwd=root, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    names = {n.decode("utf-8", "surrogateescape") for n in out.split(b"\0") if n}
    # a file deleted in the work tree but still in the index is gone
    return sorted(n for n in names if os.path.lexists(os.path.join(root, n)))


def _sdist_files(root):
    """The files an unpacked sdist's SOURCES.txt lists, or None when it is none."""
    listed = os.path.join(root, SDIST_LIST)
    if not (os.path.isfile(listed) and os.path.isfile(os.path.join(root, "PKG-INFO"))):
        return None
    with open(listed, encoding="utf-8", errors="surrogateescape") as f:
        files = [line.rstrip("\n") for line in f if line.strip()]
    for n in files:
        if n.startswith("/") or ".." in n.split("/"):
            raise BuildError(f"{SDIST_LIST}: '{n}' is outside the source tree")
        if not os.path.lexists(os.path.join(root, n)):
            raise BuildError(f"{SDIST_LIST} lists '{n}', which is missing")
    return files


def _source_files(root):
    files = _sdist_files(root)
    if files is None:
        files = _git_files(root)
    if not files or "configure.ac" not in files:
        raise BuildError(f"{root} is neither a git checkout of asyncmod nor its unpacked sdist "
                         f"(with {SDIST_LIST}): there is no list of its sources")
    return files


def _copy_sources(root, files, dest):
    for name in files:
        src, dst = os.path.join(root, name), os.path.join(dest, name)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if os.path.islink(src):
            os.symlink(os.readlink(src), dst)
        elif os.path.isfile(src):
            shutil.copy2(src, dst)


# The autotools build.

def _run(cmd, cwd, env=None):
    print("asyncmod_build: " + " ".join(shlex.quote(c) for c in cmd), file=sys.stderr, flush=True)
    try:
        # the build's output goes to stderr, which frontends show on failure
        subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=sys.stderr.fileno())
    except FileNotFoundError as e:
        raise BuildError(f"cannot run {cmd[0]}: {e.strerror}; the build needs the tools "
                         "README.md's Building section lists") from None
    except subprocess.CalledProcessError as e:
        raise BuildError(f"'{' '.join(cmd)}' failed (exit status {e.returncode}); "
                         "its output is above") from None


def _configure_args(config_settings):
    args = (config_settings or {}).get("configure-args", "")
    if isinstance(args, list):
        return [a for item in args for a in shlex.split(item)]
    return shlex.split(args)


def _build(root, work, config_settings):
    """Builds and installs into work/stage; returns the installed prefix folder."""
    src, stage = os.path.join(work, "src"), os.path.join(work, "stage")
    os.makedirs(src)
    _copy_sources(root, _source_files(root), src)
    grammar_name = f"tree-sitter-python-{_grammar_version(src)}"
    grammar = os.environ.get("ASYNCMOD_TREE_SITTER_PYTHON")
    if grammar and not os.path.isfile(os.path.join(grammar, "src", "parser.c")):
        raise BuildError(f"ASYNCMOD_TREE_SITTER_PYTHON={grammar}: no src/parser.c there")
    grammar = grammar or os.path.join(root, "deps", grammar_name)
    if os.path.isfile(os.path.join(grammar, "src", "parser.c")):
        os.makedirs(os.path.join(src, "deps"), exist_ok=True)
        os.symlink(os.path.abspath(grammar), os.path.join(src, "deps", grammar_name))
    env = dict(os.environ, ASYNCMOD_BOOTSTRAP_APT="no")
    # an enclosing make's jobserver is not ours to use
    for var in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
        env.pop(var, None)
    make = env.get("MAKE", "make")
    _run(["sh", "./bootstrap"], src, env)
    _run(["sh", "./configure", f"--prefix={PREFIX}"] + _configure_args(config_settings), src, env)
    _run([make, f"-j{min(os.cpu_count() or 1, 8)}"], src, env)
    _run([make, "install-strip", f"DESTDIR={stage}"], src, env)
    return stage + PREFIX


# Archives.

def _zipinfo(name, mode):
    info = zipfile.ZipInfo(name, time.gmtime(max(_epoch(), 315532800))[:6])
    info.external_attr = (stat.S_IFREG | (0o755 if mode & 0o111 else 0o644)) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _record_hash(data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode("ascii")


def _write_wheel(wheel_directory, version, entries, metadata):
    """entries: (archive name, bytes, mode). Returns the wheel's file name."""
    dist_info = f"{NAME}-{version}.dist-info"
    entries = list(entries) + [(f"{dist_info}/METADATA", metadata.encode("utf-8"), 0o644),
                               (f"{dist_info}/WHEEL", _wheel_file().encode("utf-8"), 0o644)]
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    for name, data, _ in entries:
        writer.writerow([name, _record_hash(data), len(data)])
    writer.writerow([f"{dist_info}/RECORD", "", ""])
    entries.append((f"{dist_info}/RECORD", record.getvalue().encode("utf-8"), 0o644))
    filename = f"{NAME}-{version}-{_tag()}.whl"
    path = os.path.join(wheel_directory, filename)
    with zipfile.ZipFile(path + ".tmp", "w") as z:
        for name, data, mode in entries:
            z.writestr(_zipinfo(name, mode), data)
    os.replace(path + ".tmp", path)
    return filename


def _wheel_entries(prefix, version):
    """What `make install` put below `prefix`, named as the wheel's .data holds it."""
    data_dir = f"{NAME}-{version}.data"
    entries = []
    for folder, dirs, files in os.walk(prefix):
        dirs.sort()
        for f in sorted(files):
            path = os.path.join(folder, f)
            rel = os.path.relpath(path, prefix).replace(os.sep, "/")
            where = "scripts/" + rel[4:] if rel.startswith("bin/") else "data/" + rel
            with open(path, "rb") as fh:
                entries.append((f"{data_dir}/{where}", fh.read(), os.stat(path).st_mode))
    if not any(name.endswith(f"/scripts/{NAME}") for name, _, _ in entries):
        raise BuildError(f"make install installed no bin/{NAME}")
    return entries


# The PEP 517 hooks.

def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    root = _root()
    dist_info = f"{NAME}-{_version(root)}.dist-info"
    os.makedirs(os.path.join(metadata_directory, dist_info), exist_ok=True)
    for name, text in (("METADATA", _metadata(root)), ("WHEEL", _wheel_file())):
        with open(os.path.join(metadata_directory, dist_info, name), "w", encoding="utf-8") as f:
            f.write(text)
    return dist_info


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    root = _root()
    version = _version(root)
    work = tempfile.mkdtemp(prefix="asyncmod-build-")
    try:
        prefix = _build(root, work, config_settings)
        return _write_wheel(wheel_directory, version, _wheel_entries(prefix, version),
                            _metadata(root))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def build_sdist(sdist_directory, config_settings=None):
    root = _root()
    version = _version(root)
    base = f"{NAME}-{version}"
    files = [f for f in _source_files(root) if f not in ("PKG-INFO", SDIST_LIST)]
    generated = {"PKG-INFO": _metadata(root).encode("utf-8"),
                 SDIST_LIST: "".join(f + "\n" for f in files).encode("utf-8")}
    filename = f"{base}.tar.gz"
    path = os.path.join(sdist_directory, filename)

    def normalize(info):
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mtime = _epoch()
        if not info.issym():
            info.mode = 0o755 if info.mode & 0o111 else 0o644
        return info

    with open(path + ".tmp", "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=_epoch()) as gz:
            with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
                for name in sorted(files + list(generated)):
                    if name in generated:
                        info = normalize(tarfile.TarInfo(f"{base}/{name}"))
                        info.size = len(generated[name])
                        tar.addfile(info, io.BytesIO(generated[name]))
                    else:
                        tar.add(os.path.join(root, name), f"{base}/{name}", recursive=False,
                                filter=normalize)
    os.replace(path + ".tmp", path)
    return filename
