"""The named-query library (``queries/*.rq``) and query text: reading, parameters, binding."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TextIO

from lowcarbon import vocab
from lowcarbon.errors import QueryError
from lowcarbon.vocab import DEFAULT_BASE

__all__ = [
    "DEFAULT_BASE",
    "ENTITY_KINDS",
    "QUERIES_DIR",
    "NamedQuery",
    "Param",
    "bind_params",
    "get_query",
    "list_queries",
    "named_queries",
    "parse_params",
    "prepare",
    "read_query",
]

QUERIES_DIR = Path(__file__).resolve().parent / "queries"
ENTITY_KINDS = tuple(k.name for k in vocab.ENTITY_KINDS)
_PARAM_KINDS = (*ENTITY_KINDS, "iri", "string", "integer")
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_IRI_RE = re.compile(r'^[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>"{}|^`\\]*$')
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PARAM_LINE_RE = re.compile(r"^#\s*param:\s*(\w+)\s+\((\w+)\)\s*(.*)$")


# --- the query library --------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """A parameter of a named query, bound by ``--param name=value``.

    ``kind`` is an entity kind (``city``, ``declaration``, ``event``…: the value is a catalog id
    or an IRI), ``iri``, ``string`` or ``integer``. The query text holds one
    ``VALUES ?name { default }`` block that the value replaces.
    """

    name: str
    kind: str
    doc: str


@dataclass(frozen=True)
class NamedQuery:
    """A query of the project's library: ``src/lowcarbon/queries/<name>.rq``."""

    name: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path

    def bind(self, values: Mapping[str, str] | None = None, *, base: str = DEFAULT_BASE) -> str:
        """The query text under ``base`` with ``values`` bound to its parameters."""
        text = self.text if base == DEFAULT_BASE else self.text.replace(DEFAULT_BASE, base)
        return bind_params(
            text, values or {}, self.params, base=base, origin=str(self.path), named=True
        )


def _parse_named(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    description = ""
    params: list[Param] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            break
        if line.startswith("# description:"):
            description = line.split(":", 1)[1].strip()
        elif m := _PARAM_LINE_RE.match(line):
            name, kind, doc = m.groups()
            if kind not in _PARAM_KINDS:
                raise QueryError(
                    f"parameter {name}: unknown kind {kind!r}, expected one of "
                    + ", ".join(_PARAM_KINDS),
                    origin=str(path),
                    line=n,
                )
            params.append(Param(name, kind, doc.strip()))
    if not description:
        raise QueryError("expected a '# description: ...' comment at the top", origin=str(path))
    return NamedQuery(path.stem, description, tuple(params), text, path)


@cache
def named_queries(directory: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    """Every named query of the library, by name (the file name without ``.rq``)."""
    return {p.stem: _parse_named(p) for p in sorted(directory.glob("*.rq"))}


def list_queries() -> list[tuple[str, str]]:
    """(name, one-line description) of every named query, sorted by name."""
    return [(q.name, q.description) for q in named_queries().values()]


def get_query(name: str) -> NamedQuery:
    """The named query ``name``; a :class:`QueryError` lists the names when it is unknown."""
    queries = named_queries()
    if name not in queries:
        raise QueryError(
            f"no named query {name!r}; the library has: " + ", ".join(queries),
            origin="--name",
        )
    return queries[name]


def read_query(query: str, *, stdin: TextIO | None = None) -> tuple[str, str]:
    """(text, origin) of a query given as SPARQL text, a file path, or ``-`` for stdin."""
    if query == "-":
        if stdin is None:
            raise QueryError("'-' reads the query from stdin, but no stdin was given")
        return stdin.read(), "<stdin>"
    if "\n" not in query and len(query) < 4096:
        path = Path(query)
        if path.is_file():
            try:
                return path.read_text(encoding="utf-8"), str(path)
            except (OSError, UnicodeDecodeError) as exc:
                raise QueryError(f"cannot read the query file: {exc}", origin=str(path)) from exc
        if path.suffix in (".rq", ".sparql") and not any(c.isspace() for c in query):
            raise QueryError("no such query file", origin=query)
    return query, "<query>"


# --- parameters ---------------------------------------------------------------------------


def _string_literal(value: str) -> str:
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _param_term(name: str, value: str, param: Param | None, base: str, origin: str) -> str:
    if param is None:  # an ad-hoc query: <iri> or a string
        kind = "iri" if value.startswith("<") and value.endswith(">") else "string"
    else:
        kind = param.kind
    if kind == "string":
        return _string_literal(value)
    if kind == "integer":
        if not re.fullmatch(r"[+-]?[0-9]+", value):
            raise QueryError(f"--param {name}={value!r}: expected an integer", origin=origin)
        return value
    raw = value[1:-1] if value.startswith("<") and value.endswith(">") else value
    if kind in ENTITY_KINDS and _ID_RE.match(raw):
        raw = f"{base}id/{kind}/{raw}"
    if not _IRI_RE.match(raw):
        expected = "a catalog id (a-z, 0-9, '-') or " if kind in ENTITY_KINDS else ""
        raise QueryError(
            f"--param {name}={value!r}: expected {expected}an absolute IRI", origin=origin
        )
    return f"<{raw}>"


def bind_params(
    text: str,
    values: Mapping[str, str],
    params: Sequence[Param] = (),
    *,
    base: str = DEFAULT_BASE,
    origin: str = "<query>",
    named: bool = False,
) -> str:
    """Bind ``values`` by rewriting each ``VALUES ?name { ... }`` block of ``text``.

    The value is validated and written as one SPARQL term (an IRI checked against the IRIREF
    grammar, an escaped string, an integer), so it cannot change the rest of the query.
    ``params`` declares the kinds (named queries); an ad-hoc query takes ``<iri>`` or a string.
    """
    declared = {p.name: p for p in params}
    for name, value in values.items():
        if named and name not in declared:
            known = ", ".join(declared) or "none"
            raise QueryError(
                f"unknown parameter {name!r}; this query takes: {known}", origin=origin
            )
        if not _NAME_RE.match(name):
            raise QueryError(f"--param {name}: not a SPARQL variable name", origin=origin)
        term = _param_term(name, value, declared.get(name), base, origin)
        block = re.compile(r"VALUES\s+\?" + re.escape(name) + r"\s*\{[^{}]*\}", re.IGNORECASE)
        found = len(block.findall(text))
        if found != 1:
            raise QueryError(
                f"--param {name}: expected one 'VALUES ?{name} {{ ... }}' block in the query, "
                f"found {found}",
                origin=origin,
            )
        replacement = f"VALUES ?{name} {{ {term} }}"
        text = block.sub(lambda _m: replacement, text)  # noqa: B023 - used at once
    return text


def parse_params(items: Sequence[str]) -> dict[str, str]:
    """``["name=value", ...]`` (repeated ``--param``) as a dict; a value may contain ``=``."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise QueryError(f"--param {item!r}: expected NAME=VALUE", origin="--param")
        out[name.strip()] = value
    return out


def prepare(
    query: str | None = None,
    *,
    name: str | None = None,
    params: Sequence[str] | Mapping[str, str] = (),
    stdin: TextIO | None = None,
    base: str = DEFAULT_BASE,
) -> tuple[str, str]:
    """(query text with parameters bound, origin) from text, a file, ``-``, or a named query."""
    values = dict(params) if isinstance(params, Mapping) else parse_params(params)
    if name is not None:
        if query is not None:
            raise QueryError("give either a query or --name, not both", origin="--name")
        return get_query(name).bind(values, base=base), f"query:{name}"
    if query is None:
        raise QueryError(
            "give a query (SPARQL text, a file, or - for stdin) or --name NAME "
            "(--list shows the named queries)",
            origin="lowcarbon query",
        )
    text, origin = read_query(query, stdin=stdin)
    return bind_params(text, values, base=base, origin=origin), origin
