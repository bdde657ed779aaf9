"""Co-participation networks read off the published graph: graphs, metrics, files, figures.

Names load on first use (as the package's own do), so that the figure worker
(:mod:`lowcarbon.network.worker`) can be started before networkx and rdflib are imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lowcarbon.network.analysis import Network, analyze, analyze_data
    from lowcarbon.network.files import network_tables
    from lowcarbon.network.metrics import SEED
    from lowcarbon.network.model import CO_KINDS, Link, NetworkData, Node
    from lowcarbon.network.outputs import (
        NetworkOutputs,
        analysis_files,
        data_outputs,
        draw_figures,
        network_files,
    )
    from lowcarbon.network.read import read_network

_EXPORTS: dict[str, str] = {
    "CO_KINDS": "lowcarbon.network.model",
    "Link": "lowcarbon.network.model",
    "Network": "lowcarbon.network.analysis",
    "NetworkData": "lowcarbon.network.model",
    "Node": "lowcarbon.network.model",
    "NetworkOutputs": "lowcarbon.network.outputs",
    "SEED": "lowcarbon.network.metrics",
    "analysis_files": "lowcarbon.network.outputs",
    "analyze": "lowcarbon.network.analysis",
    "analyze_data": "lowcarbon.network.analysis",
    "data_outputs": "lowcarbon.network.outputs",
    "draw_figures": "lowcarbon.network.outputs",
    "network_files": "lowcarbon.network.outputs",
    "network_tables": "lowcarbon.network.files",
    "read_network": "lowcarbon.network.read",
}

__all__ = [
    "CO_KINDS",
    "SEED",
    "Link",
    "Network",
    "NetworkData",
    "NetworkOutputs",
    "Node",
    "analysis_files",
    "analyze",
    "analyze_data",
    "data_outputs",
    "draw_figures",
    "network_files",
    "network_tables",
    "read_network",
]


def __getattr__(name: str) -> Any:
    """Import the module that defines ``name`` on first access."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'lowcarbon.network' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
