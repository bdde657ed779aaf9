"""The curated catalog files: reading, checking and reformatting data/entities/*.yaml."""

from __future__ import annotations

import datetime
import itertools
import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from lowcarbon.catalog.model import (
    KINDS,
    PROPERTIES,
    REFERENCES,
    Catalog,
    CatalogError,
    Entity,
    Fact,
    _kind_names,
    _unknown_id,
    normalize,
)
from lowcarbon.catalog.write import dump_entities
from lowcarbon.fileio import write_many_atomic
from lowcarbon.yamlread import read_file

__all__ = [
    "KINDS",
    "PROPERTIES",
    "REFERENCES",
    "Catalog",
    "CatalogError",
    "Entity",
    "Fact",
    "check_sources",
    "dump_entities",
    "format_catalog",
    "load_catalog",
    "normalize",
]

#: Most aliases (shown and hidden) and facts one entity may have (the real data: 5 and 4).
MAX_ALIASES = 100
MAX_FACTS = 100
_ENTRY_KEYS = ("id", "type", "label", "aliases", "hidden_aliases", "facts", "note")
_LABEL_KEYS = ("en", "zh-Hant")
_FACT_KEYS = ("property", "value", "source")
_ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_QID_RE = re.compile(r"^Q[1-9][0-9]*$")
_URL_RE = re.compile(r"^https?://[^\s/<>\"{}|\\^`]+[^\s<>\"{}|\\^`]*$")
_ITEM_RE = re.compile(
    r"^item:[^\s/]+/(org|declaration|activity)/([1-9][0-9]*|p[1-9][0-9]*-[1-9][0-9]*)$"
)
_DECIMAL_RE = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$")  # no 1_0, 0x1, inf, nan, 1e3
_DATE_RE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
_NULL_TAG = "tag:yaml.org,2002:null"
_FORMAT_HINT = "run `lowcarbon catalog --format`"


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Name:
    text: str
    role: str
    line: int


@dataclass(frozen=True)
class _Entry:
    """An entity as read, with the lines of its id and names for cross-entry errors."""

    entity: Entity
    id_line: int
    names: tuple[_Name, ...]


def load_catalog(folder: Path) -> Catalog:
    """Read and validate every catalog file in ``folder``; raise CatalogError on bad input."""
    return Catalog(tuple(e.entity for e in _load(folder, require_sorted=True)))


def _load(folder: Path, *, require_sorted: bool) -> list[_Entry]:
    if not folder.is_dir():
        raise CatalogError(str(folder), None, "no such folder; expected the catalog folder")
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        if path.suffix != ".yaml" or path.stem not in KINDS:
            raise CatalogError(
                str(path),
                None,
                "unexpected file in the catalog folder; expected only "
                + ", ".join(f"{stem}.yaml" for stem in KINDS),
            )
    entries: list[_Entry] = []
    for stem, (kind, types) in KINDS.items():
        path = folder / f"{stem}.yaml"
        if path.exists():
            read = _read_file(path, kind, types)
            if require_sorted:
                _check_sorted(read)
            entries.extend(read)
    _check_ids(entries)
    _check_names(entries)
    _check_references(entries)
    return entries


def _read_file(path: Path, kind: str, types: tuple[str, ...]) -> list[_Entry]:
    name = str(path)
    root = read_file(path, CatalogError)
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise CatalogError(name, _line(root), "expected a list of entries (`- id: …`)")
    return [_EntryReader(name, kind, types).read(node) for node in root.value]


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


class _EntryReader:
    """Turns one entry's YAML nodes into an _Entry, checking each field where it stands."""

    def __init__(self, file: str, kind: str, types: tuple[str, ...]) -> None:
        self.file = file
        self.kind = kind
        self.types = types
        self.what = "entry"
        self.key_lines: dict[int, int] = {}

    def fail(self, node: yaml.Node | int, message: str) -> CatalogError:
        line = node if isinstance(node, int) else _line(node)
        return CatalogError(self.file, line, f"{self.what}: {message}")

    def mapping(self, node: yaml.Node, keys: Sequence[str], what: str) -> dict[str, yaml.Node]:
        """The values of a mapping by key; each key's line is kept in ``key_lines``."""
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"expected a mapping with keys {', '.join(keys)} for {what}")
        out: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else None
            if key is None or key not in keys:
                raise self.fail(
                    key_node, f"unknown key {key!r} in {what}; expected one of {', '.join(keys)}"
                )
            if key in out:
                raise self.fail(key_node, f"duplicate key {key!r} in {what}")
            out[key] = value_node
            self.key_lines[id(value_node)] = _line(key_node)
        return out

    def scalar(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag == _NULL_TAG:
            raise self.fail(node, f"{what} must be a string")
        return str(node.value)

    def text(self, node: yaml.Node, what: str, *, multiline: bool = False) -> str:
        value = self.scalar(node, what)
        if not value.strip():
            raise self.fail(node, f"{what} is empty; expected text")
        if value != value.strip():
            raise self.fail(node, f"{what} {value!r} is not trimmed; remove the outer spaces")
        if not multiline and any(c in value for c in "\r\n\t"):
            raise self.fail(node, f"{what} {value!r} must be one line, without tabs")
        return value

    def texts(self, node: yaml.Node, what: str, each: str) -> list[tuple[str, int]]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be a list of strings")
        return [(self.text(item, each), _line(item)) for item in node.value]

    def read(self, node: yaml.Node) -> _Entry:
        start = _line(node)
        fields = self.mapping(node, _ENTRY_KEYS, "an entry")
        for key in ("id", "type", "label"):
            if key not in fields:
                raise self.fail(start, f"missing {key!r}; every entry has id, type and label")
        id_node = fields["id"]
        slug = self.scalar(id_node, "id")
        if not _ID_RE.match(slug):
            raise self.fail(
                id_node, f"id {slug!r} is not a slug; expected lower-case a-z0-9 words joined by -"
            )
        self.what = f"entry {slug!r}"
        type_ = self.scalar(fields["type"], "type")
        if type_ not in self.types:
            raise self.fail(
                fields["type"],
                f"type {type_!r} is not allowed for {_a(self.kind)}; expected "
                + " or ".join(self.types),
            )
        labels = self.mapping(fields["label"], _LABEL_KEYS, "label")
        for key in _LABEL_KEYS:
            if key not in labels:
                raise self.fail(self.key_lines[id(fields["label"])], f"missing label.{key}")
        names = [
            _Name(self.text(labels[k], f"label.{k}"), f"label.{k}", _line(labels[k]))
            for k in _LABEL_KEYS
        ]
        aliases = self.texts(fields["aliases"], "aliases", "alias") if "aliases" in fields else []
        hidden = (
            self.texts(fields["hidden_aliases"], "hidden_aliases", "hidden alias")
            if "hidden_aliases" in fields
            else []
        )
        if len(aliases) + len(hidden) > MAX_ALIASES:
            raise self.fail(start, f"more than {MAX_ALIASES} aliases; the catalog is curated")
        names += [_Name(t, "alias", ln) for t, ln in aliases]
        names += [_Name(t, "hidden alias", ln) for t, ln in hidden]
        facts = self.facts(fields["facts"]) if "facts" in fields else ()
        note = self.text(fields["note"], "note", multiline=True) if "note" in fields else None
        entity = Entity(
            id=slug,
            kind=self.kind,
            type=type_,
            label_en=names[0].text,
            label_zh=names[1].text,
            aliases=tuple(t for t, _ in aliases),
            hidden_aliases=tuple(t for t, _ in hidden),
            facts=facts,
            note=note,
            file=self.file,
            line=start,
        )
        return _Entry(entity, _line(id_node), tuple(names))

    def facts(self, node: yaml.Node) -> tuple[Fact, ...]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, "facts must be a list of {property, value, source}")
        if len(node.value) > MAX_FACTS:
            raise self.fail(node, f"more than {MAX_FACTS} facts; the catalog is curated")
        facts = tuple(self.fact(item) for item in node.value)
        starts = [f for f in facts if f.property == "start_date"]
        ends = [f for f in facts if f.property == "end_date"]
        for s in starts:
            for e in ends:
                n = min(len(s.value), len(e.value))
                if s.value[:n] > e.value[:n]:
                    raise self.fail(
                        e.line, f"end_date {e.value} is before start_date {s.value} (line {s.line})"
                    )
        return facts

    def fact(self, node: yaml.Node) -> Fact:
        fields = self.mapping(node, _FACT_KEYS, "a fact")
        for key in _FACT_KEYS:
            if key not in fields:
                why = "; every fact cites its source" if key == "source" else ""
                raise self.fail(node, f"fact without {key!r}{why}")
        prop = self.scalar(fields["property"], "property")
        if prop not in PROPERTIES:
            raise self.fail(
                fields["property"],
                f"unknown fact property {prop!r}; expected one of {', '.join(PROPERTIES)}",
            )
        if self.kind not in PROPERTIES[prop]:
            applies = ", ".join(k for k in _kind_names() if k in PROPERTIES[prop])
            raise self.fail(
                fields["property"], f"{prop} does not apply to {_a(self.kind)}; only to: {applies}"
            )
        value = self.text(fields["value"], f"{prop} value")
        source = self.text(fields["source"], "source")
        if not (_URL_RE.match(source) or _ITEM_RE.match(source)):
            raise self.fail(
                fields["source"],
                f"source {source!r} is neither an http(s):// URL nor item:{{record ref}} "
                "(e.g. item:高雄市/declaration/1)",
            )
        self.check_value(prop, value, source, fields)
        return Fact(prop, value, source, _line(node))

    def check_value(self, prop: str, value: str, source: str, fields: dict[str, yaml.Node]) -> None:
        at = fields["value"]
        if prop == "wikidata":
            if not _QID_RE.match(value):
                raise self.fail(at, f"wikidata value {value!r} is not a Q-id like Q182016")
            page = f"https://www.wikidata.org/wiki/{value}"
            if source != page:
                raise self.fail(
                    fields["source"], f"wikidata source {source!r} must be its page {page}"
                )
        elif prop in ("start_date", "end_date"):
            if not _is_date(value):
                raise self.fail(
                    at, f"{prop} {value!r} is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD"
                )
        elif prop in ("lat", "long"):
            limit = 90 if prop == "lat" else 180
            number = float(value) if _DECIMAL_RE.match(value) else math.nan
            if not -limit <= number <= limit:
                raise self.fail(
                    at, f"{prop} {value!r} is not a number in [-{limit}, {limit}] (decimal degrees)"
                )
        elif prop in REFERENCES and not _ID_RE.match(value):
            raise self.fail(at, f"{prop} value {value!r} is not an entity id")


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def _is_date(value: str) -> bool:
    m = _DATE_RE.match(value)
    if not m:
        return False
    year, month, day = m.groups()
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return True


def _check_sorted(entries: list[_Entry]) -> None:
    for before, after in itertools.pairwise(entries):
        if after.entity.id < before.entity.id:
            e = after.entity
            raise CatalogError(
                e.file,
                e.line,
                f"entry {e.id!r} comes after {before.entity.id!r}; entries must be sorted by id: "
                + _FORMAT_HINT,
            )


def _check_ids(entries: list[_Entry]) -> None:
    seen: dict[str, _Entry] = {}
    for entry in entries:
        e = entry.entity
        first = seen.setdefault(e.id, entry)
        if first is not entry:
            raise CatalogError(
                e.file,
                entry.id_line,
                f"duplicate id {e.id!r}; already used at {first.entity.file}:{first.id_line} "
                "(ids are unique across all catalog files)",
            )


def _check_names(entries: list[_Entry]) -> None:
    seen: dict[str, tuple[_Entry, _Name]] = {}
    for entry in entries:
        e = entry.entity
        for name in entry.names:
            key = normalize(name.text)
            first = seen.setdefault(key, (entry, name))
            other, other_name = first
            if other is entry and (
                other_name is name
                or {name.role, other_name.role}
                == {
                    "label.en",
                    "label.zh-Hant",
                }
            ):
                continue
            owner = "the same entry" if other is entry else f"entry {other.entity.id!r}"
            raise CatalogError(
                e.file,
                name.line,
                f"entry {e.id!r}: {name.role} {name.text!r} is the same name (once normalised) "
                f"as the {other_name.role} {other_name.text!r} of {owner} "
                f"({other.entity.file}:{other_name.line}); every alias must resolve to exactly "
                "one entity",
            )


def _check_references(entries: list[_Entry]) -> None:
    by_id = {entry.entity.id: entry.entity for entry in entries}
    for entry in entries:
        e = entry.entity
        for f in e.facts:
            if f.property not in REFERENCES:
                continue
            kinds, type_ = REFERENCES[f.property]
            expected = " or ".join(_a(k) for k in kinds) + (f" of type {type_}" if type_ else "")
            target = by_id.get(f.value)
            if target is None:
                raise CatalogError(
                    e.file,
                    f.line,
                    f"entry {e.id!r}: {f.property} {_unknown_id(f.value, by_id)}; "
                    f"expected the id of {expected}",
                )
            if target.kind not in kinds or (type_ and target.type != type_):
                raise CatalogError(
                    e.file,
                    f.line,
                    f"entry {e.id!r}: {f.property} {f.value!r} is {_a(target.kind)} "
                    f"({target.type}); expected {expected}",
                )
        chain = [e.id]
        parent = e.fact("super_event")
        while parent is not None and parent.value in by_id:
            if parent.value in chain:
                raise CatalogError(
                    e.file,
                    e.line,
                    f"entry {e.id!r}: super_event cycle {' -> '.join([*chain, parent.value])}",
                )
            chain.append(parent.value)
            parent = by_id[parent.value].fact("super_event")


def check_sources(catalog: Catalog, refs: Collection[str]) -> None:
    """Every ``item:`` source of a fact names an item of the source document (``refs``)."""
    for e in catalog:
        for f in e.facts:
            if f.source.startswith("item:") and f.source[len("item:") :] not in refs:
                raise CatalogError(
                    e.file,
                    f.line,
                    f"entry {e.id!r}: source {f.source!r} is not an item of the source "
                    "document; expected item:<city>/<column>/<number> from data/records.csv",
                )


# --- formatting ------------------------------------------------------------------------------


def format_catalog(folder: Path, *, check: bool) -> list[Path]:
    """Rewrite the catalog files of ``folder`` in canonical form; return the files that change.

    The catalog is validated first (except for entry order, which formatting fixes). With
    ``check`` nothing is written. Otherwise all changed files are replaced atomically together.
    Comments other than the header line are not kept: reasons belong in ``note``.
    """
    entries = _load(folder, require_sorted=False)
    changed: dict[Path, str] = {}
    for stem, (kind, _) in KINDS.items():
        path = folder / f"{stem}.yaml"
        if not path.exists():
            continue
        text = dump_entities([x.entity for x in entries if x.entity.kind == kind], kind=kind)
        if path.read_bytes() != text.encode("utf-8"):
            changed[path] = text
    if changed and not check:
        write_many_atomic(changed)
    return sorted(changed)
