"""The SPARQL page: the form, the named queries as examples, results as an HTML table."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

import pyoxigraph as ox

from lowcarbon.publish.site import ENV, page_context
from lowcarbon.query import QueryResult, display_prefixes, format_result, named_queries

__all__ = ["MAX_HTML_ROWS", "RESULT_DOWNLOADS", "example_queries", "results_view", "sparql_html"]

#: Rows a results page shows at most (the downloads carry them all).
MAX_HTML_ROWS = 1000
#: ``format=`` values of the downloads, by the form of the query: (value, label).
RESULT_DOWNLOADS = {
    "select": (("json", "JSON"), ("xml", "XML"), ("csv", "CSV"), ("tsv", "TSV")),
    "graph": (("turtle", "Turtle"), ("ntriples", "N-Triples"), ("jsonld", "JSON-LD")),
}


def example_queries(base: str) -> list[dict[str, str]]:
    """The named queries, each with the link that runs it (``sparql?query=…``)."""
    out = []
    for name, q in sorted(named_queries().items()):
        text = q.bind({}, base=base)
        out.append({
            "name": name,
            "description": q.description,
            "text": text,
            "href": "sparql?query=" + quote(text, safe=""),
        })  # fmt: skip
    return out


def _cell(t: Any, base: str, prefixes: dict[str, str]) -> dict[str, Any] | None:
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        iri = t.value
        best = max(
            ((p, ns) for p, ns in prefixes.items() if iri.startswith(ns)),
            key=lambda pn: len(pn[1]),
            default=None,
        )
        text = f"{best[0]}:{iri[len(best[1]) :]}" if best else iri
        local = iri.startswith(f"{base}id/")
        href = iri[len(base) :] + ".html" if local else iri
        return {"text": text, "href": href if href.startswith(("id/", "http")) else None,
                "lang": None}  # fmt: skip
    if isinstance(t, ox.Literal):
        return {"text": t.value, "href": None, "lang": t.language}
    return {"text": str(t), "href": None, "lang": None}


def results_view(result: QueryResult, query: str, base: str) -> dict[str, Any]:
    """A query result for the page: rows of cells (links to pages), downloads of every format."""
    kind = "graph" if result.is_graph else "select"
    downloads = [
        {"label": label, "href": "sparql?" + urlencode({"query": query, "format": fmt})}
        for fmt, label in RESULT_DOWNLOADS[kind]
    ]
    view: dict[str, Any] = {"boolean": None, "graph": None, "rows": [], "variables": [],
                            "downloads": downloads, "truncated": False, "shown": 0}  # fmt: skip
    if result.form == "ASK":
        view["boolean"] = bool(result.boolean)
    elif result.is_graph:
        view["graph"] = format_result(result, "turtle", base=base).decode("utf-8")
    else:
        prefixes = display_prefixes(base)
        view["variables"] = list(result.variables)
        view["rows"] = [[_cell(t, base, prefixes) for t in row] for row in result.rows]
        view["shown"] = min(len(view["rows"]), MAX_HTML_ROWS)
        view["truncated"] = len(view["rows"]) > MAX_HTML_ROWS
    return view


def sparql_html(
    base: str,
    *,
    query: str | None,
    result: dict[str, Any] | None,
    error: str | None,
    here: str = "sparql.html",
) -> bytes:
    """The SPARQL page: the form, the named queries as examples, results as a table if any."""
    examples = example_queries(base)
    default = next((q["text"] for q in examples if q["name"] == "members"), examples[0]["text"])
    context = {
        **page_context(here, "SPARQL 查詢 — lowcarbon"),
        "endpoint": "sparql",
        "query": query if query is not None else default,
        "result": result,
        "error": error,
        "examples": examples,
    }
    return ENV.get_template("sparql.html").render(context).encode("utf-8")
