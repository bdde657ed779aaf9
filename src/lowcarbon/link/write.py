"""The one canonical writer of data/links.yaml: judgment calls to YAML text, byte for byte."""

from __future__ import annotations

from collections.abc import Iterable

import yaml

from lowcarbon.link.judgments import Link

__all__ = ["HEADER", "dump_links"]

#: The comment every links file starts with: what the actions mean.
HEADER = """\
# Judgment calls that the linking rules cannot make, each with a reason quoting the source.
# Actions: map (text in the record -> entity), ignore (text that is not an entity),
# ignore_entity (an entity named in the record that yields no statement there),
# add (a target the record describes but does not name), exclude (a record with no statement).
# Format with: lowcarbon link --format-links
"""
_WIDTH = 1_000_000  # never fold a line


class _Dumper(yaml.SafeDumper):
    """Block style, no anchors."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _plain(link: Link) -> dict[str, str]:
    value = link.text if link.action in ("map", "ignore", "exclude") else link.entity
    out = {"record": link.record, link.action: value or ""}
    if link.action == "map":
        out["to"] = link.entity or ""
    out["reason"] = link.reason
    return out


def dump_links(links: Iterable[Link]) -> str:
    """The canonical text of a links file: the header, then one entry per call, in order.

    Keys in the order record, the action, ``to`` (for map), reason; UTF-8 unescaped, block
    style, lines never folded. The entries keep their order (reviewers read them by city).
    """
    entries = [_plain(k) for k in links]
    if not entries:
        return HEADER
    body = yaml.dump(
        entries,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=_WIDTH,
        indent=2,
    )
    return HEADER + str(body)
