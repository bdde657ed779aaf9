"""Table specifications, and their CSVW metadata and Frictionless data package descriptions."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from rdflib import RDF, RDFS, SKOS
from rdflib.namespace import DCTERMS, OWL, PROV

from lowcarbon.catalog import KINDS, PROPERTIES
from lowcarbon.export.plain import Column, Table
from lowcarbon.graph.mapping import DEFAULT_BASE, GEO, ORG, SCHEMA, WIKIDATA, Minter

__all__ = [
    "CC_BY",
    "ENTITY_TABLES",
    "Column",
    "Table",
    "source_specs",
    "table_specs",
]

#: The licence of the project's own work (README: CC BY 4.0).
CC_BY = "https://creativecommons.org/licenses/by/4.0/"

#: Table name (``csv/{name}.csv``) -> catalog kind, in the order of docs/catalog.md.
ENTITY_TABLES = {stem: kind for stem, (kind, _) in KINDS.items()}

_ZH = "zh-Hant"
_SEP = ";"
_DATE = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
_LIST = {"location", "organizer", "affiliation", "role"}  # fact columns that may hold several


# --- the table descriptions ----------------------------------------------------------------


# fmt: off
def _entity_columns(kind: str, m: Minter) -> tuple[Column, ...]:
    ids, lcd = f"{m.base}id/", str(m.lcd)
    org = kind == "organization"
    type_ns = str(SCHEMA) if kind in ("event", "place", "person") else lcd
    cols = [
        Column("id", "Identifier", "識別碼", "Catalog id, the last IRI segment.", required=True),
        Column("iri", "IRI", "IRI", "The IRI in the RDF exports.", "anyURI"),
        Column("label_en", "English label", "英文名稱", "Preferred label, English.", required=True,
               prop=str(RDFS.label), lang="en"),
        Column("label_zh", "Chinese label", "中文名稱", "Preferred label, Traditional Chinese.",
               required=True, prop=str(RDFS.label), lang=_ZH),
        Column("type", "Type", "類型", "Class, local name in the ontology or schema.org"
               + ("; Organization (plain org:Organization) reads as null" if org else "") + ".",
               required=not org, prop=str(RDF.type), value_url=type_ns + "{type}",
               null=("", "Organization") if org else ()),
        Column("aliases", "Aliases", "別名", "Other spellings in the source (skos:altLabel, "
               "languages vary so not mapped).", separator=_SEP),
        Column("wikidata", "Wikidata id", "維基數據編號", "Cited Wikidata item (owl:sameAs).",
               pattern=r"^Q[1-9][0-9]*$", prop=str(OWL.sameAs), value_url=WIKIDATA + "{wikidata}"),
    ]
    facts = {
        "start_date": Column("start_date", "Start date", "開始日期", "YYYY[-MM[-DD]]; "
                             "schema:startDate typed by precision, so not mapped.", pattern=_DATE),
        "end_date": Column("end_date", "End date", "結束日期", "Same form (schema:endDate).",
                           pattern=_DATE),
        "location": Column("location", "Location", "地點", "Place or city ids (schema:location).",
                           separator=_SEP),
        "organizer": Column("organizer", "Organizer", "主辦者", "Organization or city ids "
                            "(schema:organizer).", separator=_SEP),
        "super_event": Column("super_event", "Part of event", "所屬活動", "Event id.",
                              prop=str(SCHEMA.superEvent), value_url=ids + "event/{super_event}",
                              references="events"),
        "country": Column("country", "Country", "國家", "Place id of the country.",
                          prop=str(SCHEMA.containedInPlace), value_url=ids + "place/{country}",
                          references="places"),
        "lat": Column("lat", "Latitude", "緯度", "WGS84 degrees.", "decimal", prop=str(GEO.lat)),
        "long": Column("long", "Longitude", "經度", "WGS84 degrees.", "decimal",
                       prop=str(GEO.long)),
        "affiliation": Column("affiliation", "Affiliation", "所屬單位", "Organization, city or "
                              "place ids (schema:affiliation).", separator=_SEP),
        "role": Column("role", "Role", "職銜", "Job titles, English.", separator=_SEP,
                       prop=str(SCHEMA.jobTitle), lang="en"),
        "history": Column("history", "History", "沿革", "Administrative history, English.",
                          prop=str(SKOS.historyNote), lang="en"),
    }
    cols += [c for p, c in facts.items() if kind in PROPERTIES[p]]
    cols.append(Column("sources", "Sources", "出處", "Citations of the facts: URLs and source "
                       "item IRIs (dcterms:source).", separator=_SEP))
    return tuple(cols)


def _statement_columns(m: Minter) -> tuple[Column, ...]:
    ids, lcd = f"{m.base}id/", str(m.lcd)
    return (
        Column("statement_id", "Statement id", "陳述識別碼", "{kind}/{id}, the IRI path below "
               "id/.", required=True),
        Column("iri", "IRI", "IRI", "The IRI in the RDF exports.", "anyURI"),
        Column("kind", "Kind", "種類", "membership, signing, participation, hosting, visit or "
               "disclosure.", required=True),
        Column("type", "Class", "類別", "Class in the ontology.", required=True,
               prop=str(RDF.type), value_url=lcd + "{type}"),
        Column("city", "City", "縣市", "City or county id.", required=True, prop=lcd + "city",
               value_url=ids + "city/{city}", references="cities"),
        Column("target", "Target", "對象", "Organization, declaration, event or programme id.",
               required=True, prop=lcd + "target", value_url=ids + "{target_kind}/{target}"),
        Column("target_kind", "Target kind", "對象種類", "The target's kind (its table).",
               required=True),
        Column("roles", "Roles", "角色", "Role concepts (lcd:role).", required=True,
               separator=_SEP),
        Column("status", "Status", "狀態", "done, applied or planned.", required=True,
               prop=lcd + "status", value_url=lcd + "{status}"),
        Column("date_start", "Date", "日期", "YYYY[-MM[-DD]] as precise as the source; "
               "schema:startDate typed by precision, so not mapped.", pattern=_DATE),
        Column("date_end", "End date", "結束日期", "End of a range, same form.", pattern=_DATE),
        Column("date_precision", "Date precision", "日期精度", "year, month or day."),
        Column("date_approximate", "Approximate date", "約略日期", "true for 3月初 and the like.",
               "boolean"),
        Column("date_text", "Date as written", "原文日期", "The verbatim date expression.",
               prop=lcd + "dateText", lang=_ZH),
        Column("at_event", "At event", "場合", "Event id.", prop=lcd + "atEvent",
               value_url=ids + "event/{at_event}", references="events"),
        Column("locations", "Locations", "地點", "Place ids (schema:location).", separator=_SEP),
        Column("counterparts", "Counterparts", "對口", "Ids of people, places or organizations "
               "met (lcd:counterpart).", separator=_SEP),
        Column("source_record", "Source item", "來源項目", "Source item id.", required=True,
               references="source_items"),
        Column("source_item", "Source item path", "來源項目路徑", "Its IRI path below id/item/.",
               required=True, prop=str(PROV.wasDerivedFrom), value_url=ids + "item/{+source_item}"),
        Column("source_line_start", "First line", "起始行", "Of the source item.", "integer",
               required=True),
        Column("source_line_end", "Last line", "結束行", "Of the source item.", "integer",
               required=True),
        Column("source_text", "Source text", "來源原文", "The source item, verbatim.",
               required=True),
    )


def _item_columns(m: Minter) -> tuple[Column, ...]:
    ids, lcd = f"{m.base}id/", str(m.lcd)
    return (
        Column("id", "Record ref", "項目識別碼", "{city}/{column}/{n} as in the source.",
               required=True),
        Column("iri", "IRI", "IRI", "The IRI in the RDF exports.", "anyURI"),
        Column("item", "Item path", "項目路徑", "The IRI path below id/item/.", required=True),
        Column("city", "City", "縣市", "Id of the row's city or county.", required=True,
               prop=lcd + "reportedBy", value_url=ids + "city/{city}", references="cities"),
        Column("column", "Column", "欄", "org, declaration or activity (lcd:column).",
               required=True),
        Column("part", "Sub-list", "子清單", "1, or 2 after a sub-heading.", "integer",
               required=True, prop=lcd + "subList"),
        Column("number", "Item number", "項次", "List number; 1 for a paragraph.", "integer",
               required=True, prop=lcd + "itemNumber"),
        Column("subheading", "Sub-heading", "子標題", "The sub-heading above the item.",
               prop=lcd + "subHeading", lang=_ZH),
        Column("line_start", "First line", "起始行", "1-based line in the document.", "integer",
               required=True, prop=lcd + "lineStart"),
        Column("line_end", "Last line", "結束行", "Inclusive.", "integer", required=True,
               prop=lcd + "lineEnd"),
        Column("text", "Text", "原文", "The item exactly as in the document.", required=True,
               prop=lcd + "quote", lang=_ZH),
    )
# fmt: on


_ENTITY_TITLES = {
    "cities": ("Cities and counties", "縣市", "The ten local governments of the table."),
    "organizations": ("Organizations", "組織", "International and other organizations."),
    "declarations": ("Declarations", "宣言與協議", "Declarations, agreements, pacts, MOUs."),
    "events": ("Events", "活動", "Conferences, COPs, summits, expos, forums, visits."),
    "programmes": ("Programmes", "計畫", "Programmes and campaigns."),
    "people": ("People", "人物", "People the source names."),
    "places": ("Places", "地點", "Cities, countries and venues abroad."),
}


def _link_table(t: Table, c: Column) -> Table:
    """The optional reference ``c`` of ``t`` as its own table: key, value, both required."""
    key = t.columns[0]
    owner = Column(key.name, key.en, key.zh, f"{key.about} (a row of {t.name}).", key.datatype,
                   key.pattern, required=True, references=t.name, key=key.name)  # fmt: skip
    value = Column(c.name, c.en, c.zh, c.about, c.datatype, c.pattern, required=True,
                   prop=c.prop, value_url=c.value_url, references=c.references)  # fmt: skip
    return Table(f"{t.name}_{c.name}", f"{t.en}: {c.en.lower()}", f"{t.zh}：{c.zh}",
                 f"The {c.en.lower()} of each row of {t.name} that has one.", t.about_url,
                 (owner, value), link_of=(t.name, c.name))  # fmt: skip


def _split(tables: Sequence[Table]) -> tuple[Table, ...]:
    """Optional references moved to link tables, so that no foreign key cell is ever empty.

    Strict CSVW validation (``csvwvalidate`` without ``--lax``) refuses a null foreign key: a
    place with no country, an event in no series, a statement at no event. Each such column
    becomes a table of its own (``places_country.csv``: id, country), with a row only where
    there is a value; the RDF the tables map to is the same.
    """
    out: list[Table] = []
    links: list[Table] = []
    for t in tables:
        optional = [c for c in t.columns if c.references and not c.required]
        kept = tuple(c for c in t.columns if c not in optional)
        out.append(Table(t.name, t.en, t.zh, t.about, t.about_url, kept, t.virtual))
        links += [_link_table(t, c) for c in optional]
    return (*out, *links)


def table_specs(base: str = DEFAULT_BASE) -> tuple[Table, ...]:
    """Every table, in publication order, described for the given base."""
    return _split(source_specs(base))


def source_specs(base: str = DEFAULT_BASE) -> tuple[Table, ...]:
    """The tables as the rows are computed: optional references still in their tables."""
    m = Minter(base)
    lcd, a = str(m.lcd), str(RDF.type)
    virtual = {"organizations": ((a, str(ORG.Organization)),), "places": ((a, str(SCHEMA.Place)),)}
    tables = [
        Table(
            stem,
            *_ENTITY_TITLES[stem],
            f"{base}id/{kind}/{{id}}",
            _entity_columns(kind, m),
            virtual.get(stem, ()),
        )
        for stem, kind in ENTITY_TABLES.items()
    ]
    tables.append(
        Table(
            "statements",
            "Statements",
            "陳述",
            "Who joined, signed, attended or hosted what.",
            f"{base}id/{{+statement_id}}",
            _statement_columns(m),
            ((a, lcd + "Statement"),),
        )
    )
    document = str(m.document())
    item_types = ((a, lcd + "SourceItem"), (a, str(PROV.Entity)), (str(DCTERMS.isPartOf), document))
    tables.append(
        Table(
            "source_items",
            "Source items",
            "來源項目",
            "Items of the source table's cells.",
            f"{base}id/item/{{+item}}",
            _item_columns(m),
            item_types,
        )
    )
    return tuple(tables)


# --- the descriptions ----------------------------------------------------------------------


def _csvw_datatype(c: Column) -> object:
    if c.pattern:
        return {"base": c.datatype, "format": c.pattern}
    return c.datatype


def _csvw_column(c: Column) -> dict[str, object]:
    d: dict[str, object] = {
        "name": c.name,
        # "und": the CSV header itself, which a CSVW processor matches against the titles
        "titles": {"und": c.name, "en": c.en, _ZH: c.zh},
        "dc:description": c.about,
        "datatype": _csvw_datatype(c),
    }
    if c.required:
        d["required"] = True
    if c.separator:
        d["separator"] = c.separator
    if c.null:
        d["null"] = list(c.null)
    if c.lang:
        d["lang"] = c.lang
    if c.prop is None:
        d["suppressOutput"] = True
    else:
        d["propertyUrl"] = c.prop
    if c.value_url:
        d["valueUrl"] = c.value_url
    return d


def _titles(en: str, zh: str) -> list[object]:
    return [en, {"@value": zh, "@language": _ZH}]


def _csvw(tables: Sequence[Table], m: Minter) -> dict[str, object]:
    out = []
    for t in tables:
        columns = [_csvw_column(c) for c in t.columns]
        columns += [
            {"name": f"virtual_{i}", "virtual": True, "propertyUrl": p, "valueUrl": v}
            for i, (p, v) in enumerate(t.virtual, 1)
        ]
        schema: dict[str, object] = {
            "aboutUrl": t.about_url,
            "columns": columns,
            "primaryKey": t.columns[0].name,
        }
        keys = [
            {
                "columnReference": c.name,
                "reference": {"resource": f"{c.references}.csv", "columnReference": c.key},
            }
            for c in t.columns
            if c.references
        ]
        if keys:
            schema["foreignKeys"] = keys
        described: dict[str, object] = {
            "url": t.url,
            "dc:title": _titles(t.en, t.zh),
            "dc:description": t.about,
            "tableSchema": schema,
        }
        if t.suppress:
            described["suppressOutput"] = True
        out.append(described)
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "dc:title": _titles(_TITLE_EN, _TITLE_ZH),
        "dc:description": _ABOUT,
        "dc:license": {"@id": CC_BY},
        "dc:source": {"@id": str(m.document())},
        "dc:creator": "lowcarbon contributors",
        "tables": out,
    }


_TITLE_EN = "Taiwan City Low-Carbon Diplomacy Knowledge Graph: tables"
_TITLE_ZH = "臺灣城市低碳外交知識圖譜：表格"
_ABOUT = (
    "The entities, statements and source items of the knowledge graph as CSV, derived from the "
    "government attachment 城市低碳外交榮譽榜 (2004 to June 2011). The RDF exports are complete; "
    "columns that CSVW cannot map faithfully (lists of links, dates typed by precision, labels "
    "in mixed languages) carry suppressOutput."
)
_FRICTIONLESS_TYPE = {
    "string": "string",
    "integer": "integer",
    "decimal": "number",
    "boolean": "boolean",
    "anyURI": "string",
}


def _field(c: Column) -> dict[str, object]:
    d: dict[str, object] = {
        "name": c.name,
        "type": _FRICTIONLESS_TYPE[c.datatype],
        "title": f"{c.en} / {c.zh}",
        "description": c.about,
    }
    if c.datatype == "anyURI":
        d["format"] = "uri"
    constraints: dict[str, object] = {}
    if c.required:
        constraints["required"] = True
    if c.pattern:
        constraints["pattern"] = c.pattern
    if constraints:
        d["constraints"] = constraints
    return d


def _datapackage(
    tables: Sequence[Table], files: Mapping[str, bytes], m: Minter
) -> dict[str, object]:
    resources = []
    for t in tables:
        keys = [
            {
                "fields": c.name,
                "reference": {
                    "resource": "" if c.references == t.name else c.references,
                    "fields": c.key,
                },
            }
            for c in t.columns
            if c.references
        ]
        schema: dict[str, object] = {
            "fields": [_field(c) for c in t.columns],
            "primaryKey": [t.columns[0].name],
            "missingValues": [""],
        }
        if keys:
            schema["foreignKeys"] = keys
        data = files[t.path]
        resources.append(
            {
                "name": t.name,
                "path": t.path,
                "title": f"{t.en} / {t.zh}",
                "description": t.about,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(data),
                "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
                "schema": schema,
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "lowcarbon-diplomacy",
        "id": f"{m.base}dataset",
        "title": f"{_TITLE_EN} / {_TITLE_ZH}",
        "description": _ABOUT,
        "keywords": [
            "low-carbon diplomacy",
            "city diplomacy",
            "climate change",
            "Taiwan",
            "低碳外交",
            "城市外交",
            "氣候變遷",
            "臺灣",
        ],
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": CC_BY,
                "title": "Creative Commons Attribution 4.0 International (the project's own work)",
            }
        ],
        "sources": [
            {
                # no licence is given for the source: it states none, and we claim none
                "title": "城市低碳外交榮譽榜(各縣市國際參與具體成果), government attachment "
                "(2004 to June 2011); it states no licence",
                "path": str(m.document()),
            }
        ],
        "contributors": [{"title": "lowcarbon contributors", "role": "author"}],
        "resources": resources,
    }
