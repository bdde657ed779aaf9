"""Atomic file writing: outputs appear whole or not at all.

Two granularities. ``write_many_atomic`` replaces a few files, each atomically (a reader may
see some files new and others still old). ``replace_tree`` replaces a whole folder at once:
every file is written into a sibling folder, which is then swapped with the target, so a
reader (or a process killed at any instant) sees either the whole old folder or the whole
new one. The staged tree is made durable before the swap: one ``syncfs`` of its filesystem on
Linux, an ``fsync`` of every file and folder elsewhere.

Test hooks, read only here (never set them outside tests):

- ``LOWCARBON_TEST_KILL_AFTER_WRITES=N``: ``replace_tree`` SIGKILLs its own process right
  after writing the N-th file into the staging folder.
- ``LOWCARBON_TEST_KILL_AT=swap``: SIGKILL at the swap; with the two-rename fallback it comes
  between the two renames (the target is missing), with the atomic exchange just after it
  (the old tree has not been removed yet).
- ``LOWCARBON_TEST_NO_EXCHANGE=1``: behave as if the atomic exchange were unavailable, so
  the two-rename fallback runs.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import re
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

__all__ = [
    "exchange",
    "folder_in_use",
    "recover_tree",
    "replace_tree",
    "write_atomic",
    "write_many_atomic",
]

KILL_AFTER_WRITES = "LOWCARBON_TEST_KILL_AFTER_WRITES"
KILL_AT = "LOWCARBON_TEST_KILL_AT"
NO_EXCHANGE = "LOWCARBON_TEST_NO_EXCHANGE"

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# What renameat2 answers when the kernel or the filesystem cannot exchange.
_NO_SUPPORT = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP}


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place."""
    write_many_atomic({path: data})


def write_many_atomic(files: Mapping[Path, bytes | str]) -> None:
    """Write several files; if any write fails, none of them is replaced.

    Every file is first written to a temporary sibling; only when all are written are they
    renamed into place (renames on one filesystem do not fail for lack of space).
    """
    staged: list[tuple[Path, str]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            raw = data.encode("utf-8") if isinstance(data, str) else data
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((path, tmp))
            with os.fdopen(fd, "wb") as fh:
                fh.write(raw)
        for path, tmp in staged:
            os.replace(tmp, path)
        staged.clear()
    finally:
        for _, tmp in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


def folder_in_use(out: Path) -> str | None:
    """Why ``out`` cannot receive a new tree ("not a folder", "not empty"), or None.

    For commands that write only into an absent or empty folder (``synth``, ``analyze``).
    """
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        return "not a folder"
    if out.is_dir() and any(out.iterdir()):
        return "not empty"
    return None


def replace_tree(out: Path, files: Mapping[str, bytes | str]) -> None:
    """Make the folder ``out`` hold exactly ``files`` (relative POSIX path -> content).

    All or nothing: the files are written and fsynced into ``.<name>.new-<pid>`` beside
    ``out``, which is then exchanged with ``out`` in one step (Linux renameat2), or where
    that is unavailable moved in with two renames that ``recover_tree`` can undo. The old
    tree is removed last. Leftovers of an interrupted earlier run are cleaned up first.
    """
    out = _target(out)
    recover_tree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    new = _sibling(out, "new")
    try:
        _stage(new, files)
        old = _swap(new, out)
    except BaseException:
        _remove(new)
        raise
    if old is not None:
        _remove(old)


def recover_tree(out: Path) -> None:
    """Undo what an interrupted ``replace_tree`` (or the older per-file scheme) left behind.

    A ``.<name>.old-<pid>`` whose process is gone, with ``out`` missing, is renamed back to
    ``out`` (the kill came between the two fallback renames). Other leftover
    ``.<name>.new-<pid>`` / ``.old-<pid>`` siblings are removed, and so are stray ``.*.tmp``
    files inside ``out``. Siblings of a process that is still running are left alone.
    """
    out = _target(out)
    if not out.parent.is_dir():
        return
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(new|old)-(\d+)")
    leftovers: list[tuple[str, Path]] = []
    for p in out.parent.iterdir():
        m = pattern.fullmatch(p.name)
        if m and not _alive(int(m.group(2))):
            leftovers.append((m.group(1), p))
    olds = sorted((p for kind, p in leftovers if kind == "old"), key=_mtime, reverse=True)
    if olds and not os.path.lexists(out):
        os.rename(olds[0], out)
        _fsync_dir(out.parent)
        leftovers = [(k, p) for k, p in leftovers if p != olds[0]]
    for _, p in leftovers:
        _remove(p)
    if out.is_dir() and not out.is_symlink():
        for p in out.rglob(".*.tmp"):
            if p.is_file():
                p.unlink()


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step; False if this system cannot."""
    fn = None if os.environ.get(NO_EXCHANGE) else _renameat2()
    if fn is None:
        return False
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in _NO_SUPPORT:
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


@functools.cache
def _renameat2() -> Callable[[int, bytes, int, bytes, int], int] | None:
    """The C library's renameat2, or None off Linux or with a libc that lacks it."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    result: Callable[[int, bytes, int, bytes, int], int] = fn
    return result


@functools.cache
def _syncfs() -> Callable[[int], int] | None:
    """The C library's syncfs (Linux): flush one filesystem's data and metadata in one call."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        fn = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int]
    fn.restype = ctypes.c_int
    result: Callable[[int], int] = fn
    return result


def _sync_tree(folder: Path, syncfs: Callable[[int], int]) -> None:
    """Make everything written under ``folder`` durable with one syncfs (Linux only).

    The staged tree must be on disk before the swap; one flush of its filesystem does that for
    thousands of files at the cost of one call (an fsync per file cost the site of 1,000
    synthetic cities, 20,000 files, most of its 24 s write stage).
    """
    fd = os.open(folder, os.O_RDONLY)
    try:
        if syncfs(fd) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"syncfs: {os.strerror(err)}", str(folder))
    finally:
        os.close(fd)


def _target(out: Path) -> Path:
    """The folder to replace: absolute, and through a symlink (the link itself stays)."""
    out = Path(os.path.abspath(out))
    return out.resolve() if out.is_symlink() else out


def _sibling(out: Path, kind: str) -> Path:
    return out.parent / f".{out.name}.{kind}-{os.getpid()}"


def _stage(new: Path, files: Mapping[str, bytes | str]) -> None:
    """Write every file under the fresh folder ``new`` and fsync files and folders."""
    raw_kill = os.environ.get(KILL_AFTER_WRITES)
    kill_after = int(raw_kill) if raw_kill else None
    new.mkdir()
    folders = {new}
    syncfs = _syncfs()  # None: an fsync per file and per folder
    for n, rel in enumerate(sorted(files), start=1):
        parts = rel.split("/")
        if any(p in ("", ".", "..") for p in parts):
            raise ValueError(f"not a relative path inside the output folder: {rel!r}")
        path = new.joinpath(*parts)
        for depth in range(1, len(parts)):
            folder = new.joinpath(*parts[:depth])
            if folder not in folders:
                folder.mkdir(exist_ok=True)
                folders.add(folder)
        data = files[rel]
        with open(path, "xb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            if syncfs is None:
                fh.flush()
                os.fsync(fh.fileno())
        if kill_after is not None and n >= kill_after:
            _kill_self()
    if syncfs is not None:
        _sync_tree(new, syncfs)
        return
    for folder in folders:
        _fsync_dir(folder)


def _swap(new: Path, out: Path) -> Path | None:
    """Put ``new`` in place of ``out``; return where the old tree now is (None: there was none)."""
    if not os.path.lexists(out):
        os.rename(new, out)
        _fsync_dir(out.parent)
        return None
    if not out.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "not a folder, will not replace it", str(out))
    if exchange(new, out):
        _checkpoint("swap")
        _fsync_dir(out.parent)
        return new
    old = _sibling(out, "old")
    os.rename(out, old)
    _checkpoint("swap")
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old, out)
        raise
    _fsync_dir(out.parent)
    return old


def _checkpoint(name: str) -> None:
    if os.environ.get(KILL_AT) == name:
        _kill_self()


def _kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _alive(pid: int) -> bool:
    """Whether another process with this id runs (so its staging folder is in use)."""
    if pid == os.getpid() or os.name != "posix":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _mtime(p: Path) -> float:
    return p.lstat().st_mtime


def _remove(p: Path) -> None:
    if p.is_dir() and not p.is_symlink():
        shutil.rmtree(p)
    elif os.path.lexists(p):
        p.unlink()
