"""A pool of warm query processes for a server: the store opened once, an overrun killed.

:func:`lowcarbon.query.run_query` starts a process per query (0.3 to 0.7 s each), since a
pyoxigraph query cannot be interrupted in-process. A server cannot pay that on every request, so
:class:`QueryPool` keeps a few processes that have opened the store read-only and wait for
queries on a pipe. The safety is the same: every query passes :func:`lowcarbon.query.guard.check`
first and only its canonical text is sent; a process that has not answered within the timeout
is killed (SIGKILL) and replaced by a fresh one, and the caller gets :class:`QueryTimeoutError`;
an answer larger than ``max_bytes`` is not sent back (:class:`ResultTooLargeError`).
"""

from __future__ import annotations

import json
import os
import queue
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from lowcarbon.errors import QueryBusyError, QueryError, QueryTimeoutError, ResultTooLargeError
from lowcarbon.query import guard
from lowcarbon.query.results import QueryResult, format_result
from lowcarbon.query.run import (
    DEFAULT_TIMEOUT,
    _from_ox,
    _parse_native,
    _serialize_native,
    _syntax_error,
)
from lowcarbon.vocab import DEFAULT_BASE

__all__ = ["MAX_RESULT_BYTES", "NATIVE", "Answer", "QueryPool"]

#: Largest answer a query process sends back, in bytes.
MAX_RESULT_BYTES = 32 * 1024 * 1024
#: The ``fmt`` that asks for the answer as a :class:`QueryResult` rather than bytes.
NATIVE = "native"


@dataclass(frozen=True)
class Answer:
    """What a query gave: its form, and the bytes in the format asked or the parsed result."""

    form: str
    body: bytes | None = None
    result: QueryResult | None = None


def _child_main() -> None:  # pragma: no cover - runs in the query process
    """The loop of a query process: a JSON request a line on stdin, framed answers on stdout."""
    # Ctrl-C in a terminal reaches the whole process group: the server stops its processes
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    store, max_bytes = sys.argv[1], int(sys.argv[2])
    st = ox.Store.read_only(store)
    out = sys.stdout.buffer

    def send(status: str, payload: bytes) -> None:
        out.write(f"{status} {len(payload)}\n".encode() + payload)
        out.flush()

    send("ready", b"")
    for line in sys.stdin.buffer:
        text, form, fmt, base = json.loads(line)
        try:
            res = st.query(text, use_default_graph_as_union=True)
            if fmt == NATIVE:
                payload = _serialize_native(res)
            else:
                payload = format_result(_from_ox(form, res), fmt, base=base)
            if len(payload) > max_bytes:
                send("too-large", str(len(payload)).encode())
            else:
                send("ok", payload)
        except SyntaxError as exc:
            send("syntax", str(exc).encode("utf-8"))
        except Exception as exc:  # every failure goes back as a message
            send("error", f"{type(exc).__name__}: {exc}".encode("utf-8", "replace"))


_CHILD = "from lowcarbon.query.pool import _child_main; _child_main()"


class _Worker:
    """One query process, and the pipes to it."""

    def __init__(self, store: Path, max_bytes: int) -> None:
        env = dict(os.environ)
        package_root = str(Path(__file__).resolve().parent.parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", _CHILD, str(store), str(max_bytes)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None  # noqa: S101
        self.stdin, self.fd = self.proc.stdin, self.proc.stdout.fileno()
        self.buf = b""
        self.ready = False

    def _read(self, deadline: float) -> bytes:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([self.fd], [], [], left)[0]:
            raise TimeoutError
        chunk = os.read(self.fd, 1 << 16)
        if not chunk:
            raise EOFError("the query process ended")
        return chunk

    def receive(self, timeout: float) -> tuple[str, bytes]:
        """The next framed answer; ``TimeoutError`` past ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            self.buf += self._read(deadline)
        head, _, self.buf = self.buf.partition(b"\n")
        status, _, size = head.decode().partition(" ")
        n = int(size)
        while len(self.buf) < n:
            self.buf += self._read(deadline)
        payload, self.buf = self.buf[:n], self.buf[n:]
        return status, payload

    def send(self, request: list[str]) -> None:
        self.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
        self.stdin.flush()

    def wait_ready(self, timeout: float) -> None:
        if self.ready:
            return
        try:
            status, payload = self.receive(timeout)
        except TimeoutError:
            raise QueryError(f"the query process did not start in {timeout:g} s") from None
        if status != "ready":  # pragma: no cover - the store failed to open
            raise QueryError(f"the query process failed to start: {payload!r}")
        self.ready = True

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(5)
        for f in (self.proc.stdin, self.proc.stdout):
            if f is not None:
                f.close()


class QueryPool:
    """``size`` warm query processes on the store at ``store`` (opened read-only).

    :meth:`run` is blocking and thread-safe: call it from as many threads as you like; at most
    ``size`` queries run at once, the others wait up to ``wait`` seconds for a free process
    (then :class:`QueryBusyError`). :meth:`close` stops every process.
    """

    def __init__(
        self,
        store: Path,
        *,
        size: int = 2,
        timeout: float = DEFAULT_TIMEOUT,
        wait: float | None = None,
        max_bytes: int = MAX_RESULT_BYTES,
    ) -> None:
        if size < 1:
            raise ValueError("a pool needs at least one process")
        self.store, self.timeout, self.max_bytes = store, timeout, max_bytes
        self.wait = wait if wait is not None else timeout
        self.idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self.workers: set[_Worker] = set()
        self.lock = threading.Lock()
        self.size = size
        self.closed = False
        self.replaced = 0  # processes killed and replaced (overruns, crashes)
        for _ in range(size):
            self.idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        w = _Worker(self.store, self.max_bytes)
        with self.lock:
            self.workers.add(w)
        return w

    def _replace(self, w: _Worker) -> _Worker:
        w.kill()
        with self.lock:
            self.workers.discard(w)
            self.replaced += 1
        return self._spawn()

    def warm(self, timeout: float = 60.0) -> None:
        """Wait until every process has opened the store."""
        taken = [self.idle.get() for _ in range(self.size)]
        try:
            for w in taken:
                w.wait_ready(timeout)
        finally:
            for w in taken:
                self.idle.put(w)

    def run(
        self, text: str, *, fmt: str = NATIVE, base: str = DEFAULT_BASE, origin: str = "query"
    ) -> Answer:
        """Check ``text`` and run its canonical form: bytes in ``fmt``, or the parsed result.

        ``fmt`` is one of :data:`lowcarbon.query.SELECT_FORMATS` or ``GRAPH_FORMATS`` (for the
        form of the query; the caller picks), or :data:`NATIVE` for a :class:`QueryResult`.
        Raises what :func:`guard.check` raises, :class:`QueryTimeoutError`,
        :class:`ResultTooLargeError`, :class:`QueryBusyError`, or a :class:`QueryError`.
        """
        checked = guard.check(text, origin=origin)
        if self.closed:
            raise QueryBusyError("the query pool is closed", origin=origin)
        try:
            w = self.idle.get(timeout=self.wait)
        except queue.Empty:
            raise QueryBusyError(
                f"every query process stayed busy for {self.wait:g} s; try again later",
                origin=origin,
            ) from None
        try:
            w.wait_ready(max(self.timeout, 30.0))
            w.send([checked.text, checked.form, fmt, base])
            status, payload = w.receive(self.timeout)
        except TimeoutError:
            w = self._replace(w)
            raise QueryTimeoutError(
                f"the query ran longer than {self.timeout:g} s and was stopped", origin=origin
            ) from None
        except (EOFError, OSError, ValueError) as exc:
            w = self._replace(w)
            raise QueryError(f"the query process failed: {exc}", origin=origin) from None
        finally:
            self.idle.put(w)
        if status == "ok":
            if fmt == NATIVE:
                return Answer(checked.form, result=_parse_native(checked.form, payload))
            return Answer(checked.form, body=payload)
        if status == "syntax":
            raise _syntax_error(payload.decode("utf-8"), origin, checked.text)
        if status == "too-large":
            raise ResultTooLargeError(
                f"the result is {int(payload)} bytes, more than the {self.max_bytes} this "
                "endpoint sends: add a LIMIT",
                origin=origin,
            )
        raise QueryError(payload.decode("utf-8", "replace"), origin=origin)

    def close(self) -> None:
        """Stop every process (also those busy with a query)."""
        self.closed = True
        with self.lock:
            workers = list(self.workers)
            self.workers.clear()
        for w in workers:
            w.kill()
