"""The network's files made in a second process, so that networkx and matplotlib overlap the build.

A :class:`NetworkWorker` is a spawned process (never a plain fork: the build may run beside
threads) that imports networkx and matplotlib and reads the font list as soon as it starts,
then makes the files of the one :class:`~lowcarbon.network.NetworkData` it is sent: the
analysis, its tables, report and figures (:func:`~lowcarbon.network.data_outputs`). The result
is the same bytes as made in this process; a warning raised there is raised again here, and so
is an exception, with the worker's traceback as a note. :func:`start_worker` gives no worker on
a single core or when none can start; :meth:`NetworkWorker.outputs` makes the files in this
process when the worker died before it answered.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
import threading
import traceback
import warnings
from collections.abc import Callable, Iterator
from multiprocessing import resource_tracker
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lowcarbon.network.model import NetworkData
    from lowcarbon.network.outputs import NetworkOutputs

__all__ = ["Job", "NetworkWorker", "start_worker"]

#: seconds a worker that has answered may take to exit before it is ended
_EXIT_WAIT = 5.0


#: what the worker makes of the network (a module-level function: sent by name)
Job = Callable[["NetworkData"], "NetworkOutputs"]
#: an exception as sent: its class, args and attributes
_Error = tuple[type[BaseException], tuple[Any, ...], dict[str, Any]]


def _data_outputs(data: NetworkData) -> NetworkOutputs:
    """The build's network files (networkx and matplotlib are imported when first called)."""
    from lowcarbon.network.outputs import data_outputs

    return data_outputs(data)


def _portable(value: Any, fallback: Any) -> Any:
    """``value`` if it survives pickling (an exception, a warning), else ``fallback``."""
    try:
        pickle.loads(pickle.dumps(value))  # noqa: S301 - our own bytes
    except Exception:  # any failure to pickle: send its text instead
        return fallback
    return value


def _rebuilt(
    cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any], where: str
) -> BaseException:
    """The worker's exception, made here without calling its ``__init__``; its trace a note."""
    exc = cls.__new__(cls, *args)
    exc.args = args
    vars(exc).update(state)
    exc.add_note("raised in the network worker:\n" + where)
    return exc


@contextlib.contextmanager
def _sigint_ignored_by_children() -> Iterator[None]:
    """Within: a process started inherits SIGINT ignored (the parent ends it on Ctrl-C).

    Else a Ctrl-C while the worker imports would end it with a traceback of its own. An
    ignored disposition survives exec, and Python keeps SIGINT ignored if it starts so. Here
    SIGINT is blocked meanwhile: Linux keeps a blocked signal pending even while it is
    ignored, so a Ctrl-C in that moment reaches this process once its handler is back.
    Outside the main thread (no handler can be set) the worker ignores SIGINT once it runs.
    """
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        previous = signal.getsignal(signal.SIGINT)
        if threading.current_thread() is not threading.main_thread() or previous is None:
            yield
            return
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def _serve(conn: Connection, job: Job) -> None:
    """The worker: warm up, make the files of one network, send them, exit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        from lowcarbon.network import outputs  # noqa: F401 - networkx, numpy: imported now
        from lowcarbon.network.figures import find_cjk_font

        find_cjk_font()  # the font list, read while the parent runs the first stages
    except Exception:  # noqa: S110 - the job raises it again, with its traceback
        pass
    try:
        data = conn.recv()
    except EOFError:  # the parent ended without a job
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # the parent's filters decide what is shown
        try:
            reply: tuple[Any, ...] = ("ok", job(data))
        except Exception as exc:  # sent to the parent, raised there
            # the class, args and attributes, not the instance: an exception whose __init__
            # takes other arguments than its args (InputError) is rebuilt all the same
            text: _Error = (RuntimeError, (f"{type(exc).__qualname__}: {exc}",), {})
            error = _portable((type(exc), exc.args, vars(exc)), text)
            reply = ("error", error, traceback.format_exc())
    found = [
        (_portable(w.message, str(w.message)), w.category, w.filename, w.lineno) for w in caught
    ]
    with contextlib.suppress(OSError, EOFError):  # the parent is gone: nothing to tell
        conn.send((*reply, found))


class NetworkWorker:
    """One spawned process that makes the files of one network (see the module).

    ``job``: what it makes (by default :func:`~lowcarbon.network.data_outputs`).
    """

    def __init__(self, job: Job | None = None) -> None:
        context = multiprocessing.get_context("spawn")
        job = _data_outputs if job is None else job
        self._job = job
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child, job), name="lowcarbon-network", daemon=True
        )
        try:
            # spawn starts multiprocessing's resource tracker once, and unblocks SIGINT when
            # it has: started first, so that it cannot open the window below
            resource_tracker.ensure_running()
            with _sigint_ignored_by_children():
                self._process.start()
        finally:
            child.close()
        self._sender: threading.Thread | None = None
        self._data: NetworkData | None = None
        self._answered = False
        self._closed = False

    @property
    def pid(self) -> int | None:
        """The worker's process id (``None`` once it is closed)."""
        return self._process.pid if not self._closed else None

    @property
    def sent(self) -> bool:
        """Whether the network was sent."""
        return self._data is not None

    def submit(self, data: NetworkData) -> None:
        """Send the network; the send goes on in a thread while the worker still imports."""
        if self._data is not None:
            raise RuntimeError("a network worker makes the files of one network")
        self._data = data
        self._sender = threading.Thread(
            target=self._send, args=(data,), name="lowcarbon-network-send", daemon=True
        )
        self._sender.start()

    def _send(self, data: NetworkData) -> None:
        with contextlib.suppress(OSError, EOFError):  # the worker died: outputs() makes them
            self._conn.send(data)

    def outputs(self) -> NetworkOutputs:
        """The files of the network sent; made here if the worker died before it answered."""
        if self._data is None:
            raise RuntimeError("no network was sent to the network worker")
        try:
            status, value, *detail, found = self._conn.recv()
        except (EOFError, OSError):
            self.close()
            return self._job(self._data)
        self._answered = True
        self.close()
        for message, category, filename, lineno in found:
            warnings.warn_explicit(message, category, filename, lineno)
        if status == "error":
            cls, args, state = value
            raise _rebuilt(cls, args, state, "".join(detail))
        made: NetworkOutputs = value
        return made

    def close(self) -> None:
        """End the worker: at once if it has not answered, else once it has exited by itself."""
        if self._closed:
            return
        self._closed = True
        process = self._process
        process.join(_EXIT_WAIT if self._answered else 0)
        if process.is_alive():
            process.terminate()
            process.join()
        if self._sender is not None:  # its send fails now that the worker is gone
            self._sender.join()
        self._conn.close()
        process.close()

    def __enter__(self) -> NetworkWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start_worker() -> NetworkWorker | None:
    """A network worker, or ``None`` on a single core or when no process can start.

    Never inside a worker: a spawned process imports the parent's main module, so a script
    that builds at its top level, outside ``if __name__ == "__main__":``, runs again there
    (the usual rule of spawned processes), and that run draws in its own process.
    """
    if (os.cpu_count() or 1) < 2 or multiprocessing.parent_process() is not None:
        return None
    try:
        return NetworkWorker()
    except (OSError, RuntimeError, ValueError):
        return None
