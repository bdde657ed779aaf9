"""The static site and the local HTTP server.

Names load on first use (as the package's own do), so that a build, which makes the site,
does not import the server's uvicorn and Starlette.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lowcarbon.publish.server import MAX_BODY, SiteServer, choose, make_server, serve
    from lowcarbon.publish.site import (
        DATASET,
        STYLE,
        resource_jsonld,
        resource_paths,
        resource_turtle,
        site_files,
    )

_EXPORTS: dict[str, str] = {
    "DATASET": "lowcarbon.publish.site",
    "MAX_BODY": "lowcarbon.publish.server",
    "STYLE": "lowcarbon.publish.site",
    "SiteServer": "lowcarbon.publish.server",
    "choose": "lowcarbon.publish.server",
    "make_server": "lowcarbon.publish.server",
    "resource_jsonld": "lowcarbon.publish.site",
    "resource_paths": "lowcarbon.publish.site",
    "resource_turtle": "lowcarbon.publish.site",
    "serve": "lowcarbon.publish.server",
    "site_files": "lowcarbon.publish.site",
}

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


def __getattr__(name: str) -> Any:
    """Import the module that defines ``name`` on first access."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'lowcarbon.publish' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
