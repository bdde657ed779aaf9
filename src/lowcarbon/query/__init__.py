"""The embedded store, safe SPARQL, named queries and loading into remote stores.

Names load on first use (as the package's own do), so that the CLI, which names the query
options, and a build, which refreshes the store, import no more of it than they use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lowcarbon.query.options import DEFAULT_TIMEOUT, GRAPH_FORMATS, SELECT_FORMATS
    from lowcarbon.query.run import (
        NamedQuery,
        Param,
        QueryError,
        QueryResult,
        QueryTimeoutError,
        QueryTooLargeError,
        Term,
        UnsafeQueryError,
        bind_params,
        check_query,
        display_prefixes,
        format_result,
        get_query,
        list_queries,
        named_queries,
        parse_params,
        prepare,
        read_query,
        run_query,
        run_query_in_process,
        run_query_rdflib,
        run_query_remote,
    )
    from lowcarbon.query.store import (
        PASSWORD_ENV,
        USER_ENV,
        GraphLoad,
        LoadError,
        LoadReport,
        LoadVerificationError,
        StoreError,
        default_nquads,
        ensure_store,
        graph_ntriples,
        graphs_from_nquads,
        guess_query_endpoint,
        load,
        open_store,
        refresh_store,
        require_http,
    )

_EXPORTS: dict[str, str] = {
    "DEFAULT_TIMEOUT": "lowcarbon.query.options",
    "GRAPH_FORMATS": "lowcarbon.query.options",
    "GraphLoad": "lowcarbon.query.store",
    "LoadError": "lowcarbon.query.store",
    "LoadReport": "lowcarbon.query.store",
    "LoadVerificationError": "lowcarbon.query.store",
    "NamedQuery": "lowcarbon.query.run",
    "PASSWORD_ENV": "lowcarbon.query.store",
    "Param": "lowcarbon.query.run",
    "QueryError": "lowcarbon.query.run",
    "QueryResult": "lowcarbon.query.run",
    "QueryTimeoutError": "lowcarbon.query.run",
    "QueryTooLargeError": "lowcarbon.query.run",
    "SELECT_FORMATS": "lowcarbon.query.options",
    "StoreError": "lowcarbon.query.store",
    "Term": "lowcarbon.query.run",
    "USER_ENV": "lowcarbon.query.store",
    "UnsafeQueryError": "lowcarbon.query.run",
    "bind_params": "lowcarbon.query.run",
    "check_query": "lowcarbon.query.run",
    "default_nquads": "lowcarbon.query.store",
    "display_prefixes": "lowcarbon.query.run",
    "ensure_store": "lowcarbon.query.store",
    "format_result": "lowcarbon.query.run",
    "get_query": "lowcarbon.query.run",
    "graph_ntriples": "lowcarbon.query.store",
    "graphs_from_nquads": "lowcarbon.query.store",
    "guess_query_endpoint": "lowcarbon.query.store",
    "list_queries": "lowcarbon.query.run",
    "load": "lowcarbon.query.store",
    "named_queries": "lowcarbon.query.run",
    "open_store": "lowcarbon.query.store",
    "parse_params": "lowcarbon.query.run",
    "prepare": "lowcarbon.query.run",
    "read_query": "lowcarbon.query.run",
    "refresh_store": "lowcarbon.query.store",
    "require_http": "lowcarbon.query.store",
    "run_query": "lowcarbon.query.run",
    "run_query_in_process": "lowcarbon.query.run",
    "run_query_rdflib": "lowcarbon.query.run",
    "run_query_remote": "lowcarbon.query.run",
}

__all__ = [
    "DEFAULT_TIMEOUT",
    "GRAPH_FORMATS",
    "PASSWORD_ENV",
    "SELECT_FORMATS",
    "USER_ENV",
    "GraphLoad",
    "LoadError",
    "LoadReport",
    "LoadVerificationError",
    "NamedQuery",
    "Param",
    "QueryError",
    "QueryResult",
    "QueryTimeoutError",
    "QueryTooLargeError",
    "StoreError",
    "Term",
    "UnsafeQueryError",
    "bind_params",
    "check_query",
    "default_nquads",
    "display_prefixes",
    "ensure_store",
    "format_result",
    "get_query",
    "graph_ntriples",
    "graphs_from_nquads",
    "guess_query_endpoint",
    "list_queries",
    "load",
    "named_queries",
    "open_store",
    "parse_params",
    "prepare",
    "read_query",
    "refresh_store",
    "require_http",
    "run_query",
    "run_query_in_process",
    "run_query_rdflib",
    "run_query_remote",
]


def __getattr__(name: str) -> Any:
    """Import the module that defines ``name`` on first access."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'lowcarbon.query' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
