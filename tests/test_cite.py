"""Citable: one pinned release carried by CITATION.cff, the README, DCAT and every page."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from rdflib import XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from lowcarbon.pipeline import Pipeline
from lowcarbon.publish.cite import bibtex, citation_text
from lowcarbon.publish.site import site_files
from lowcarbon.vocab import DEFAULT_BASE, RELEASE

ROOT = Path(__file__).resolve().parent.parent
DCAT = Namespace("http://www.w3.org/ns/dcat#")


def test_citation_cff_is_the_release() -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    assert cff["version"] == RELEASE.version
    assert str(cff["date-released"]) == RELEASE.modified
    assert cff["url"] == DEFAULT_BASE and cff["license"] == "CC-BY-4.0"
    assert cff["authors"] == [{"name": "lowcarbon contributors"}]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == RELEASE.version
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", RELEASE.issued) and RELEASE.issued <= RELEASE.modified


def test_readme_carries_the_citation() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert citation_text() in readme
    assert f"```bibtex\n{bibtex()}```" in readme


def test_bibtex_is_balanced_and_names_the_release() -> None:
    entry = bibtex("https://example.org/x/")
    assert entry.count("{") == entry.count("}")
    assert f"version      = {{{RELEASE.version}}}" in entry
    assert "https://example.org/x/" in entry and DEFAULT_BASE not in entry


def test_dcat_carries_the_release() -> None:
    dcat = Graph().parse(ROOT / "exports" / "metadata" / "dcat.ttl")
    d = URIRef(f"{DEFAULT_BASE}dataset")
    assert set(dcat.objects(d, DCAT.version)) == {Literal(RELEASE.version)}
    assert set(dcat.objects(d, DCTERMS.issued)) == {Literal(RELEASE.issued, datatype=XSD.date)}
    assert set(dcat.objects(d, DCTERMS.modified)) == {Literal(RELEASE.modified, datatype=XSD.date)}


def test_every_page_names_the_release_and_the_index_says_how_to_cite(pipe: Pipeline) -> None:
    files = site_files(pipe.graph, pipe.ontology, base=pipe.base, downloads=["metadata/dcat.ttl"])
    pages = {p: b.decode() for p, b in files.items() if p.endswith(".html")}
    assert len(pages) > 200
    for path, html in pages.items():
        footer = html[html.index("<footer>") :]
        assert f"Version {RELEASE.version}, released {RELEASE.modified}" in footer, path
        assert "#cite" in footer, path
    index = pages["index.html"]
    cite = index[index.index('id="cite"') :]
    assert citation_text(pipe.base) in cite
    assert "@misc{lowcarbon_" in cite and 'href="#downloads"' in cite
