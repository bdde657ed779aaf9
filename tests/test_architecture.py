"""The shape of the package: stages in one direction, privates kept inside, modules small.

Read from the source with ``ast`` (nothing is imported), so that a function-local import
counts as much as one at the top of a module. docs/architecture.md draws the same layers.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "lowcarbon"
MAX_LINES = 500

#: Each part of the package and the parts it may import (besides itself). A stage reads what
#: the stages before it make; nothing imports cli, build or pipeline but the layers above them.
ALLOWED: dict[str, set[str]] = {
    "vocab": set(),
    "errors": set(),
    "paths": {"errors"},
    "fileio": {"errors"},
    "yamlread": {"errors"},
    "terms": set(),
    "ingest": {"errors", "fileio", "vocab"},
    "catalog": {"errors", "fileio", "vocab", "yamlread"},
    "link": {"errors", "vocab", "yamlread", "ingest", "catalog"},
    "graph": {"errors", "vocab", "ingest", "catalog", "link"},
    "validate": {"errors", "vocab", "paths", "graph", "terms"},
    "query": {"errors", "vocab", "fileio", "terms"},
    "export": {"errors", "vocab", "fileio", "ingest", "catalog", "link", "graph"},
    "network": {"errors", "vocab", "export"},
    "publish": {"errors", "vocab", "graph", "export", "query"},
    "pipeline": {
        "errors", "vocab", "paths", "ingest", "catalog", "link", "graph", "validate", "export",
        "network",
    },
    "build": {
        "errors", "vocab", "paths", "fileio", "ingest", "pipeline", "validate", "export",
        "publish", "query",
    },
    "synth": {
        "errors", "vocab", "paths", "fileio", "yamlread", "ingest", "catalog", "link", "pipeline",
    },
    "commands": {
        "errors", "vocab", "paths", "fileio", "ingest", "catalog", "link", "graph", "validate",
        "export", "network", "query", "publish", "pipeline", "build", "synth",
    },
    "cli": {
        "errors", "vocab", "paths", "fileio", "ingest", "catalog", "link", "graph", "validate",
        "export", "network", "query", "publish", "pipeline", "build", "synth", "commands",
    },
}  # fmt: skip


def _part(module: str) -> str:
    """``lowcarbon.link.rules`` -> ``link``; ``lowcarbon`` (the package front door) -> ``cli``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "cli"


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC.parent).with_suffix("")
        name = ".".join(rel.parts)
        out[name.removesuffix(".__init__")] = path
    return out


def _imports(module: str, path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, imported module, names) for every import of a lowcarbon module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([target] if target else [])])
            if target == "lowcarbon":  # from lowcarbon import vocab: the module lowcarbon.vocab
                for a in node.names:
                    sub = (SRC / a.name).is_dir() or (SRC / f"{a.name}.py").is_file()
                    found.append((node.lineno, f"lowcarbon.{a.name}" if sub else target, []))
            else:
                found.append((node.lineno, target, [a.name for a in node.names]))
    return [f for f in found if f[1] == "lowcarbon" or f[1].startswith("lowcarbon.")]


MODULES = _modules()


def test_every_part_has_a_layer() -> None:
    parts = {_part(m) for m in MODULES}
    assert parts <= set(ALLOWED), f"parts with no layer in ALLOWED: {sorted(parts - set(ALLOWED))}"


def test_parts_depend_one_way() -> None:
    wrong = []
    for module, path in MODULES.items():
        src = _part(module)
        for line, target, _ in _imports(module, path):
            dst = _part(target) if target != "lowcarbon" else "cli"
            if dst != src and dst not in ALLOWED[src]:
                wrong.append(f"{path.relative_to(SRC)}:{line}: {src} imports {dst} ({target})")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_no_import_circle_between_parts() -> None:
    edges: dict[str, set[str]] = defaultdict(set)
    for module, path in MODULES.items():
        for _, target, _ in _imports(module, path):
            if _part(target) != _part(module):
                edges[_part(module)].add(_part(target))
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                pytest.fail("import circle: " + " -> ".join([*trail, node, nxt]))
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [])


def test_no_private_name_crosses_a_package() -> None:
    """A name starting with ``_`` is imported only within its own sub-package."""
    wrong = []
    for module, path in MODULES.items():
        for line, target, names in _imports(module, path):
            private = [n for n in names if n.startswith("_") and n != "__version__"]
            if private and _part(target) != _part(module):
                wrong.append(f"{path.relative_to(SRC)}:{line}: {', '.join(private)} from {target}")
    assert not wrong, "private names imported across packages:\n" + "\n".join(wrong)


def test_other_packages_use_the_front_door_or_a_public_module() -> None:
    """Importing a private module (``pkg._x``) of another package is refused too."""
    wrong = []
    for module, path in MODULES.items():
        for line, target, _ in _imports(module, path):
            hidden = any(p.startswith("_") for p in target.split(".")[2:])
            if hidden and _part(target) != _part(module):
                wrong.append(f"{path.relative_to(SRC)}:{line}: imports {target}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("module", sorted(MODULES), ids=str)
def test_module_is_small(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module} has {lines} lines (at most {MAX_LINES}): split it"


def import_graph_dot() -> str:
    """The imports between the parts, as Graphviz DOT (``python tests/test_architecture.py``)."""
    edges: set[tuple[str, str]] = set()
    for module, path in MODULES.items():
        for _, target, _ in _imports(module, path):
            if _part(target) != _part(module):
                edges.add((_part(module), _part(target)))
    lines = ["digraph lowcarbon {", "  rankdir=LR; node [shape=box];"]
    lines += [f'  "{a}" -> "{b}";' for a, b in sorted(edges)]
    return "\n".join([*lines, "}"]) + "\n"


if __name__ == "__main__":
    print(import_graph_dot(), end="")


def test_cli_start_up_imports_no_stage_libraries() -> None:
    """`lowcarbon --help` and `lowcarbon query` load neither rdflib, pyshacl nor matplotlib.

    Their start-up time is a target of issue 15 (0.3 s and 0.5 s as whole processes,
    benchmarks/startup.py measures them); importing the stages' libraries costs about a second.
    """
    loaded = _loaded(
        "lowcarbon.cli, lowcarbon.query", ("rdflib", "pyshacl", "matplotlib", "networkx", "jinja2")
    )
    assert loaded == "[]", loaded


def test_the_network_worker_imports_no_rdf_library() -> None:
    """The network worker draws from a network read already: no rdflib, no RDF writers.

    It is the build's critical path on the real data (issue 15: the build in 2 s); rdflib
    and the export package cost it 0.15 s of its start.
    """
    loaded = _loaded(
        "lowcarbon.cli, lowcarbon.network.worker, lowcarbon.network.outputs, "
        "lowcarbon.network.figures",
        ("rdflib", "pyoxigraph", "pyshacl", "jinja2", "lowcarbon.export.rdf",
         "lowcarbon.export.csvw", "lowcarbon.graph"),
    )  # fmt: skip
    assert loaded == "[]", loaded


def _loaded(imports: str, watched: tuple[str, ...]) -> str:
    """Which of ``watched`` a fresh interpreter has loaded after ``import {imports}``."""
    code = f"import sys, {imports}; print(sorted(m for m in {watched!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()
