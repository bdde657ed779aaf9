"""The static site and the local HTTP server."""

from __future__ import annotations

from lowcarbon.publish.server import (
    MAX_BODY,
    SiteServer,
    choose,
    make_server,
    serve,
)
from lowcarbon.publish.site import (
    DATASET,
    STYLE,
    resource_jsonld,
    resource_paths,
    resource_turtle,
    site_files,
)

__all__ = [
    "DATASET",
    "MAX_BODY",
    "STYLE",
    "SiteServer",
    "choose",
    "make_server",
    "resource_jsonld",
    "resource_paths",
    "resource_turtle",
    "serve",
    "site_files",
]
