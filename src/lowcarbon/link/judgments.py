"""The linking judgment calls of data/links.yaml, read and checked against records and catalog."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from lowcarbon.catalog import Catalog
from lowcarbon.errors import LinkError
from lowcarbon.ingest.source import Document
from lowcarbon.link.text import fold
from lowcarbon.yamlread import read_file

__all__ = ["Link", "LinkError", "Links", "load_links"]


@dataclass(frozen=True)
class Link:
    """One judgment call from data/links.yaml."""

    record: str
    action: str  # map | ignore | ignore_entity | add | exclude
    text: str | None
    entity: str | None
    reason: str
    line: int


@dataclass(frozen=True)
class Links:
    """All judgment calls, by record."""

    path: str
    entries: tuple[Link, ...]

    def for_record(self, ref: str) -> tuple[Link, ...]:
        """The calls that apply to one record."""
        return self._by_record.get(ref, ())

    @cached_property
    def _by_record(self) -> dict[str, tuple[Link, ...]]:
        out: dict[str, list[Link]] = {}
        for e in self.entries:
            out.setdefault(e.record, []).append(e)
        return {ref: tuple(v) for ref, v in out.items()}


_ACTIONS = ("map", "ignore", "ignore_entity", "add", "exclude")


def load_links(path: Path, doc: Document, catalog: Catalog) -> Links:
    """Read data/links.yaml; every entry names a known record and entity, with a reason."""
    name = str(path)
    root = read_file(path, LinkError)
    if root is None:
        return Links(name, ())
    if not isinstance(root, yaml.SequenceNode):
        raise LinkError(name, root.start_mark.line + 1, "expected a list of link entries")
    bodies = {r.ref: r.body for r in doc.records}
    entries: list[Link] = []
    seen: dict[tuple[str, str, str | None, str | None], int] = {}
    for node in root.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            raise LinkError(name, line, "expected a mapping with record, an action and reason")
        fields: dict[str, str] = {}
        for k, v in node.value:
            if not isinstance(v, yaml.ScalarNode):
                raise LinkError(name, v.start_mark.line + 1, f"{k.value}: expected a string")
            fields[str(k.value)] = str(v.value)
        unknown = set(fields) - {"record", "reason", "to", *_ACTIONS}
        if unknown:
            raise LinkError(name, line, f"unknown keys {sorted(unknown)}")
        record = fields.get("record")
        if record is None or record not in bodies:
            raise LinkError(
                name, line, f"unknown record {record!r}; expected a ref from records.csv"
            )
        reason = fields.get("reason", "").strip()
        if not reason:
            raise LinkError(name, line, f"{record}: every link needs a reason quoting the source")
        actions = [a for a in _ACTIONS if a in fields]
        if len(actions) != 1:
            raise LinkError(name, line, f"{record}: expected exactly one of {', '.join(_ACTIONS)}")
        action = actions[0]
        value = fields[action]
        text: str | None = None
        entity: str | None = None
        if action == "map":
            text, entity = value, fields.get("to")
        elif action in ("ignore", "exclude"):
            text = value  # exclude: a quote of the record, like ignore
        elif action in ("ignore_entity", "add"):
            entity = value
        if action == "map" and entity is None:
            raise LinkError(name, line, f"{record}: map needs 'to: <entity id>'")
        if action != "map" and "to" in fields:
            raise LinkError(name, line, f"{record}: 'to' belongs only to map, not to {action}")
        key = (record, action, text, entity)
        if key in seen:
            raise LinkError(name, line, f"{record}: the same {action} as on line {seen[key]}")
        seen[key] = line
        if entity is not None and entity not in catalog:
            raise LinkError(name, line, f"{record}: unknown entity {entity!r}")
        if text is not None and fold(text) not in fold(bodies[record]):
            raise LinkError(name, line, f"{record}: text {text!r} does not occur in the record")
        entries.append(Link(record, action, text, entity, reason, line))
    return Links(name, tuple(entries))
