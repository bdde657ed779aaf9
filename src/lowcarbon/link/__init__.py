"""Source items to statements: who joined, signed, attended or hosted what, when."""

from __future__ import annotations

from lowcarbon.link.judgments import (
    Link,
    LinkError,
    Links,
    load_links,
)
from lowcarbon.link.rules import link_document, link_report
from lowcarbon.link.statements import (
    Kind,
    Linked,
    Statement,
    Status,
    UnresolvedMention,
)
from lowcarbon.link.write import dump_links

__all__ = [
    "Kind",
    "Link",
    "LinkError",
    "Linked",
    "Links",
    "Statement",
    "Status",
    "UnresolvedMention",
    "dump_links",
    "link_document",
    "link_report",
    "load_links",
]
