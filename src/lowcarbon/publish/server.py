"""The local HTTP server: the web application (``publish/app.py``) on uvicorn."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import sys
import threading
import time
from pathlib import Path

import uvicorn

from lowcarbon.errors import InputError
from lowcarbon.graph.mapping import DEFAULT_BASE, Minter
from lowcarbon.publish.app import MAX_BODY, create_app, query_pool
from lowcarbon.publish.negotiate import choose
from lowcarbon.publish.site import DATASET
from lowcarbon.query import DEFAULT_TIMEOUT
from lowcarbon.query.pool import QueryPool
from lowcarbon.vocab import NQUADS_DUMP

__all__ = ["MAX_BODY", "POOL_SIZE", "SiteServer", "choose", "make_server", "serve"]

#: Query processes kept warm by default (one per core of a small machine).
POOL_SIZE = 2
#: The limit of a query when none is given (``timeout=None``), in seconds.
_NO_TIMEOUT = 24 * 3600.0


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


class SiteServer:
    """The site on uvicorn, bound when made; :meth:`serve_forever` serves, :meth:`shutdown` ends."""

    def __init__(
        self,
        address: tuple[str, int],
        *,
        site: Path,
        base: str,
        store: Path,
        timeout: float | None,
        log: bool,
        pool_size: int = POOL_SIZE,
    ) -> None:
        Minter(base)  # validates
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP,
        # and without it every kept-alive answer waits ~40 ms for a delayed ACK (Nagle).
        self.socket = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(address)
        self.socket.listen(1024)
        self.server_address = self.socket.getsockname()
        self.server_name, self.server_port = str(address[0]), int(self.server_address[1])
        self.app = create_app(
            site,
            base=base,
            store=store,
            timeout=timeout if timeout is not None else _NO_TIMEOUT,
            pool_size=pool_size,
        )
        config = uvicorn.Config(
            self.app,
            lifespan="on",
            log_level="info" if log else "warning",
            access_log=log,
            timeout_keep_alive=15,
            server_header=False,
            date_header=False,
            headers=[("server", "lowcarbon")],
        )
        self.uvicorn = uvicorn.Server(config)
        self._done = threading.Event()

    @property
    def pool(self) -> QueryPool | None:
        """The warm query processes (``None`` until the server has started)."""
        return query_pool(self.app)

    @property
    def url(self) -> str:
        """The root URL, e.g. ``http://127.0.0.1:8000/``."""
        host = self.server_name
        return (
            f"http://[{host}]:{self.server_port}/"
            if ":" in host
            else (f"http://{host}:{self.server_port}/")
        )

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Serve until :meth:`shutdown` (or, in the main thread, Ctrl-C).

        ``poll_interval`` is accepted for the signature of ``socketserver``; uvicorn checks for
        a shutdown on its own clock.
        """
        del poll_interval
        try:
            self.uvicorn.run(sockets=[self.socket])
        finally:
            self._done.set()

    def wait_started(self, timeout: float = 60.0) -> None:
        """Wait until the query processes are warm and requests are answered."""
        deadline = time.monotonic() + timeout
        while not self.uvicorn.started and time.monotonic() < deadline:
            if self._done.is_set():
                raise RuntimeError("the server stopped while starting")
            time.sleep(0.02)

    def shutdown(self) -> None:
        """Stop serving and wait for the query processes to end."""
        self.uvicorn.should_exit = True
        self._done.wait(30)

    def server_close(self) -> None:
        """Close the listening socket."""
        with contextlib.suppress(OSError):
            self.socket.close()


def make_server(
    site: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    base: str = DEFAULT_BASE,
    store: Path | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    log: bool = False,
    pool_size: int = POOL_SIZE,
) -> SiteServer:
    """A server for the site folder (call ``serve_forever``), bound to ``host:port`` (0: any).

    ``store`` is the embedded store the SPARQL endpoint queries (default: ``store/`` beside
    the site folder), built from the site's ``exports/rdf/lowcarbon.nq`` at start-up if it is
    missing or stale. ``timeout`` limits each query, in seconds; ``pool_size`` query processes
    are kept warm. Raises ``InputError`` when the site has not been built.
    """
    for need in ("index.html", f"{DATASET}/{NQUADS_DUMP}"):
        if not (site / need).is_file():
            raise InputError(str(site), None, f"no {need}: run `lowcarbon build` first")
    return SiteServer(
        (host, port),
        site=site,
        base=base,
        store=store if store is not None else site.resolve().parent / "store",
        timeout=timeout,
        log=log,
        pool_size=pool_size,
    )


def serve(
    site: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    base: str = DEFAULT_BASE,
    store: Path | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    pool_size: int = POOL_SIZE,
) -> None:
    """Serve the site folder until interrupted (Ctrl-C), logging requests to stderr."""
    server = make_server(
        site, host=host, port=port, base=base, store=store, timeout=timeout, log=True,
        pool_size=pool_size,
    )  # fmt: skip
    if not _loopback(host):
        print(
            f"warning: {host} is not a loopback address; others can reach this server",
            file=sys.stderr,
        )
    print(f"serving {site} at {server.url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:  # uvicorn raises it again once it has shut down cleanly
        pass
    finally:
        server.server_close()
