"""The schema.org ``Dataset`` for dataset search engines, read off the DCAT graph."""

from __future__ import annotations

from rdflib import RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF
from rdflib.term import Node

from lowcarbon.graph.mapping import DEFAULT_BASE, SCHEMA

__all__ = ["IANA", "SPDX", "schema_org"]

#: The SPDX vocabulary (checksums of the distributions).
SPDX = Namespace("http://spdx.org/rdf/terms#")
#: Media types as IRIs: ``{IANA}text/turtle``.
IANA = "https://www.iana.org/assignments/media-types/"
_ZH = "zh-Hant"


def _texts(meta: Graph, s: Node, p: URIRef) -> dict[str, list[str]]:
    by_lang: dict[str, list[str]] = {}
    for o in meta.objects(s, p):
        if isinstance(o, Literal):
            by_lang.setdefault(o.language or "", []).append(str(o))
    return {k: sorted(v) for k, v in by_lang.items()}


def _one(meta: Graph, s: Node, p: URIRef) -> str:
    values = sorted(str(o) for o in meta.objects(s, p))
    if not values:
        raise ValueError(f"metadata: {s} has no {p}")
    return values[0]


def schema_org(meta: Graph, *, base: str = DEFAULT_BASE) -> dict[str, object]:
    """A schema.org ``Dataset`` for dataset search engines, read off the DCAT graph.

    The context is inline (``@vocab``), so no processor needs to fetch one; every node has an
    ``@id``, so the JSON-LD makes no blank nodes.
    """
    d = URIRef(f"{base}dataset")
    title, desc = _texts(meta, d, DCTERMS.title), _texts(meta, d, DCTERMS.description)
    period = next(iter(meta.objects(d, DCTERMS.temporal)))
    start, end = _one(meta, period, DCAT.startDate), _one(meta, period, DCAT.endDate)
    spatial = next(iter(meta.objects(d, DCTERMS.spatial)))
    source = next(iter(meta.objects(d, DCTERMS.source)))
    creator = next(iter(meta.objects(d, DCTERMS.creator)))
    keywords = _texts(meta, d, DCAT.keyword)
    distributions = []
    for dist in sorted(meta.objects(d, DCAT.distribution), key=str):
        item: dict[str, object] = {
            "@id": str(dist),
            "@type": "DataDownload",
            "name": _one(meta, dist, DCTERMS.title),
            "contentUrl": _one(meta, dist, DCAT.downloadURL),
            "encodingFormat": _one(meta, dist, DCAT.mediaType)[len(IANA) :],
        }
        for checksum in meta.objects(dist, SPDX.checksum):
            item["sha256"] = _one(meta, checksum, SPDX.checksumValue)
        for size in meta.objects(dist, DCAT.byteSize):
            item["contentSize"] = f"{size} B"
        distributions.append(item)
    return {
        "@context": {"@vocab": str(SCHEMA)},
        "@id": str(d),
        "@type": "Dataset",
        "name": title["en"][0],
        "alternateName": {"@language": _ZH, "@value": title[_ZH][0]},
        "description": [
            {"@language": lang, "@value": desc[lang][0]} for lang in ("en", _ZH) if lang in desc
        ],
        "keywords": [k for lang in ("en", _ZH) for k in keywords.get(lang, [])],
        "inLanguage": ["zh-Hant", "en"],
        "license": {"@id": _one(meta, d, DCTERMS.license)},
        "isAccessibleForFree": True,
        "temporalCoverage": f"{start}/{end}",
        "spatialCoverage": {
            "@id": str(spatial),
            "@type": "Place",
            "name": _texts(meta, spatial, RDFS.label).get("en", ["Taiwan"])[0],
        },
        "isBasedOn": {
            "@id": str(source),
            "@type": "CreativeWork",
            "name": _texts(meta, source, DCTERMS.title).get(_ZH, [str(source)])[0],
        },
        "creator": {
            "@id": str(creator),
            "@type": "Organization",
            "name": _one(meta, creator, FOAF.name),
        },
        "distribution": distributions,
    }
