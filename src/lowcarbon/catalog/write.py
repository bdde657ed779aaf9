"""The one canonical writer of the catalog files: entities to YAML text, byte for byte."""

from __future__ import annotations

from collections.abc import Iterable

import yaml

from lowcarbon.catalog.model import Entity

__all__ = ["dump_entities"]

_WIDTH = 1_000_000  # never fold a line


class _Dumper(yaml.SafeDumper):
    """Block style, no anchors, multi-line text as literal blocks."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def _header_line(kind: str) -> str:
    """The comment line every catalog file starts with."""
    return f"# {kind} — curated; format with: lowcarbon catalog --format\n"


def _plain(e: Entity) -> dict[str, object]:
    out: dict[str, object] = {
        "id": e.id,
        "type": e.type,
        "label": {"en": e.label_en, "zh-Hant": e.label_zh},
    }
    if e.aliases:
        out["aliases"] = list(e.aliases)
    if e.hidden_aliases:
        out["hidden_aliases"] = list(e.hidden_aliases)
    if e.facts:
        out["facts"] = [
            {"property": f.property, "value": f.value, "source": f.source} for f in e.facts
        ]
    if e.note is not None:
        out["note"] = e.note
    return out


def dump_entities(entities: Iterable[Entity], *, kind: str | None = None) -> str:
    """The canonical text of one catalog file: the one writer of data/entities/*.yaml.

    A header comment, then the entries sorted by id, keys in the order id, type, label (en,
    zh-Hant), aliases, hidden_aliases, facts (property, value, source), note; empty lists and a
    missing note left out; UTF-8 unescaped, block style, lines never folded. Aliases and facts
    keep their order. ``kind`` is needed only when ``entities`` is empty.
    """
    items = sorted(entities, key=lambda e: e.id)
    kinds = {e.kind for e in items} | ({kind} if kind else set())
    if len(kinds) != 1:
        raise ValueError(f"expected entities of one kind, got {sorted(kinds) or 'none'}")
    body = yaml.dump(
        [_plain(e) for e in items],
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=_WIDTH,
        indent=2,
    )
    return _header_line(kinds.pop()) + str(body)
