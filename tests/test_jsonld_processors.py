"""The JSON-LD exports in JSON-LD 1.0 and 1.1 processors: PyLD and jsonld.js, each in both modes.

Each processor must read the same triples as the data graph from ``rdf/lowcarbon.jsonld``, and
frame one document per entity kind with a user's own ``@reverse`` term added to our context
(the issue's case: the CURIE-named terms ``lcd:city`` and ``org:organization`` crashed jsonld.js
there, and the prefix ``city`` turned ``{"city": ...}`` into a wrong predicate).

jsonld.js runs through ``node tests/js/jsonld.mjs`` (``npm ci --prefix tests/js``, which
.ci/run does); without node or the module the jsonld.js cases skip, and under CI=true fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from lowcarbon.export.metadata import metadata_files
from lowcarbon.graph.mapping import DEFAULT_BASE
from lowcarbon.pipeline import Pipeline

JS = Path(__file__).resolve().parent / "js"
MODES = ("json-ld-1.0", "json-ld-1.1")
LCD = f"{DEFAULT_BASE}ontology#"
#: One resource of each kind, framed with its statements (reverse of lcd:city / lcd:target).
FRAMED = {
    "city/taipei": "city",
    "organization/iclei": "target",
    "declaration/mexico-city-pact": "target",
    "event/cop15": "target",
    "membership/taipei--iclei": None,
    "item/taipei/org/1": None,
}


def refusing_loader(url: str, options: object = None) -> Any:
    raise jsonld.JsonLdError(
        f"refused to load {url}: the exports must not need the network",
        "jsonld.LoadDocumentError",
        {"url": url},
        code="loading remote context failed",
    )


def _node() -> str:
    node = shutil.which("node")
    if node is None or not (JS / "node_modules" / "jsonld").is_dir():
        message = (
            "jsonld.js is not installed (apt-get install nodejs npm; npm ci --prefix tests/js)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI=true requires it", pytrace=False)
        pytest.skip(message)
    return node


def _jsonld_js(tmp_path: Path, op: str, doc: Any, mode: str, frame: Any = None) -> str:
    node = _node()
    src = tmp_path / "doc.jsonld"
    src.write_text(json.dumps(doc), encoding="utf-8")
    argv = [node, str(JS / "jsonld.mjs"), op, str(src), mode]
    if frame is not None:
        (tmp_path / "frame.jsonld").write_text(json.dumps(frame), encoding="utf-8")
        argv.append(str(tmp_path / "frame.jsonld"))
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, f"jsonld.js {op} ({mode}) failed:\n{done.stderr}"
    return done.stdout


Processor = Callable[[Path, str, Any, str, Any], str]


def _pyld(tmp_path: Path, op: str, doc: Any, mode: str, frame: Any = None) -> str:
    opts = {"documentLoader": refusing_loader, "processingMode": mode}
    if op == "nquads":
        out: str = jsonld.to_rdf(doc, {**opts, "format": "application/n-quads"})
        return out
    return json.dumps(jsonld.frame(doc, frame, opts))


PROCESSORS: dict[str, Processor] = {"pyld": _pyld, "jsonld.js": _jsonld_js}


@pytest.fixture(scope="module")
def doc(pipe: Pipeline) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(pipe.described_files["rdf/lowcarbon.jsonld"])
    return parsed


def lowered(g: Graph) -> Graph:
    """Language tags lowercased: PyLD and jsonld.js lowercase them (BCP 47 is case-blind)."""
    out = Graph()
    for s, p, o in g:
        if isinstance(o, Literal) and o.language:
            o = Literal(str(o), lang=o.language.lower())
        out.add((s, p, o))
    return out


# --- the context --------------------------------------------------------------------------


def test_context_needs_no_json_ld_1_1(doc: dict[str, Any]) -> None:
    """Regression: ``"@version": 1.1`` made Jena riot's 1.0 reader refuse the whole file."""
    ctx = doc["@context"]
    assert "@version" not in ctx
    assert ctx["@base"] == f"{DEFAULT_BASE}id/"
    for key, value in ctx.items():
        if isinstance(value, dict):  # 1.1-only term keys: @prefix, @protected, @context…
            assert set(value) <= {"@id", "@type", "@language", "@container"}, key
            assert value.get("@container") in (None, "@language"), key


def test_no_prefix_is_named_like_a_property(doc: dict[str, Any], pipe: Pipeline) -> None:
    """Regression: the prefix ``city`` (…/id/city/) was also what ``{"city": …}`` meant.

    In JSON-LD every prefix is a term, so a prefix named like a property turns that key into
    a predicate made from the prefix IRI. Prefixes here are vocabularies only; ids are
    relative to ``@base``.
    """
    ctx = doc["@context"]
    prefixes = {k for k, v in ctx.items() if k[0] != "@" and isinstance(v, str) and v[-1:] in "/#"}
    assert prefixes, "the vocabulary prefixes (lcd, schema, …) are expected"
    assert not any(ctx[p].startswith(f"{DEFAULT_BASE}id/") for p in prefixes)
    local_names = {str(p).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] for p in
                   pipe.graph.predicates()}  # fmt: skip
    assert not prefixes & local_names
    assert not any(":" in key for key in ctx), "no term is named like a compact IRI"
    assert ctx["city"] == {"@id": "lcd:city", "@type": "@id"}
    assert ctx["organization"] == {"@id": "org:organization", "@type": "@id"}


def test_a_users_city_key_is_the_city_property(doc: dict[str, Any], pipe: Pipeline) -> None:
    mine = {"@context": doc["@context"], "id": "membership/x", "city": "city/taipei"}
    nquads = jsonld.to_rdf(mine, {"format": "application/n-quads"})
    assert nquads == (
        f"<{DEFAULT_BASE}id/membership/x> <{LCD}city> <{DEFAULT_BASE}id/city/taipei> .\n"
    )


# --- every processor, both modes ----------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("processor", PROCESSORS)
def test_processor_reads_the_data_graph(
    processor: str, mode: str, doc: dict[str, Any], pipe: Pipeline, tmp_path: Path
) -> None:
    nquads = PROCESSORS[processor](tmp_path, "nquads", doc, mode, None)
    got = Graph().parse(data=nquads, format="nquads")
    assert len(got) == len(pipe.graph)
    assert isomorphic(lowered(got), lowered(pipe.graph)), f"{processor} {mode}"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("processor", PROCESSORS)
def test_processor_reads_the_schema_org_metadata(
    processor: str, mode: str, pipe: Pipeline, tmp_path: Path
) -> None:
    data = metadata_files(pipe.metadata)["metadata/schema-org.jsonld"]
    meta = json.loads(data)
    nquads = PROCESSORS[processor](tmp_path, "nquads", meta, mode, None)
    got = Graph().parse(data=nquads, format="nquads")
    mine = Graph().parse(data=data, format="json-ld")
    assert len(got) > 50 and isomorphic(lowered(got), lowered(mine)), f"{processor} {mode}"


def _frame(doc: dict[str, Any], rid: str, reverse: str | None) -> dict[str, Any]:
    """A user's frame: our context plus a longer alias of their own, an ``@reverse`` term."""
    frame: dict[str, Any] = {
        "@context": [doc["@context"], {"statementsOfThis": {"@reverse": f"lcd:{reverse}"}}],
        "id": rid,
    }
    if reverse is not None:  # the statements about it, by id
        frame["statementsOfThis"] = {"@embed": "@never"}
    return frame


def _ids(value: Any) -> list[str]:
    return [v["id"] for v in (value if isinstance(value, list) else [value])]


@pytest.mark.parametrize("rid", FRAMED)
def test_framed_entity_documents_agree(
    rid: str, doc: dict[str, Any], pipe: Pipeline, tmp_path: Path
) -> None:
    """PyLD and jsonld.js frame each kind of resource alike, and only with true triples.

    The language map keys come out lowercase (``label["zh-hant"]``), as README says.
    """
    frame = _frame(doc, rid, FRAMED[rid])
    framed = {name: json.loads(p(tmp_path, "frame", doc, MODES[1], frame))
              for name, p in PROCESSORS.items()}  # fmt: skip
    # PyLD embeds reverse-framed nodes in full in spite of "@embed": "@never" (jsonld.js
    # gives ids only, as the frame asks): compare the statements by id, the rest whole.
    statements = {name: sorted(_ids(f.pop("statementsOfThis", []))) for name, f in framed.items()}
    assert statements["pyld"] == statements["jsonld.js"]
    assert framed["pyld"] == framed["jsonld.js"]
    node = framed["pyld"]
    assert node["id"] == rid
    assert set(node["label"]) == {"en", "zh-hant"}, "processors lowercase the tags"
    if FRAMED[rid] is not None:
        assert statements["pyld"], f"{rid}: the reverse term found no statement"
    triples = Graph().parse(
        data=jsonld.to_rdf(framed["pyld"], {"format": "application/n-quads"}), format="nquads"
    )
    assert len(triples) > 5
    assert not lowered(triples) - lowered(pipe.graph), f"{rid}: framing made triples up"
    assert (URIRef(f"{DEFAULT_BASE}id/{rid}"), None, None) in triples
