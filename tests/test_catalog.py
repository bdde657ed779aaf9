"""The curated catalog: the reader's checks, the one canonical writer, and the real data."""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections import defaultdict
from pathlib import Path
from textwrap import dedent

import pytest
import yaml

from lowcarbon.catalog import (
    KINDS,
    PROPERTIES,
    REFERENCES,
    Catalog,
    CatalogError,
    Entity,
    Fact,
    dump_entities,
    format_catalog,
    load_catalog,
    normalize,
)

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "catalog.md"
VALID = Path(__file__).resolve().parent / "fixtures" / "catalog" / "valid"
REAL = ROOT / "data" / "entities"
REAL_ABSENT = "data/entities/ is absent: the curated catalog is not in this checkout"

# Written independently of catalog.py, from docs/catalog.md.
ID_SYNTAX = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CITED = re.compile(r"^(https?://\S+|item:\S+)$")


def _strip_lines(entity: Entity) -> Entity:
    """The entity without where it was read, to compare what was read with what was written."""
    facts = tuple(dataclasses.replace(f, line=0) for f in entity.facts)
    return dataclasses.replace(entity, file="", line=0, facts=facts)


@pytest.fixture(scope="module")
def valid() -> Catalog:
    return load_catalog(VALID)


# --- the contract ------------------------------------------------------------------------------


def test_kinds_match_the_docs_table() -> None:
    rows = re.findall(r"^\| `(\w+)\.yaml` \| [^|]+ \| (.+) \|$", DOCS.read_text("utf-8"), re.M)
    documented = {stem: tuple(re.findall(r"`(\w+)`", types)) for stem, types in rows}
    assert {stem: types for stem, (_, types) in KINDS.items()} == documented


PLURALS = {stem: kind for stem, (kind, _) in KINDS.items()}


def test_properties_match_the_docs_table() -> None:
    text = DOCS.read_text("utf-8")
    rows = re.findall(r"^\| (`\w+`(?:, `\w+`)*) \| [^|]+ \| ([^|]+) \|", text, re.M)
    documented: dict[str, frozenset[str]] = {}
    for names, applies in rows:
        words = re.sub(r"\(.*?\)", "", applies).replace(",", " ").split()
        kinds = (
            frozenset(PLURALS.values())
            if words == ["any"]
            else frozenset(PLURALS[w] for w in words)
        )
        documented |= {p: kinds for p in re.findall(r"`(\w+)`", names)}
    assert dict(PROPERTIES) == documented
    assert set(REFERENCES) <= set(PROPERTIES)


# --- normalize -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("臺北市", "台北市"),
        ("\ufa08", "\u884c"),  # CJK compatibility ideograph 行 -> the unified 行
        ("地方環境\ufa08動國際委員會", "地方環境行動國際委員會"),
        ("ＩＣＬＥＩ", "iclei"),
        ("COP11～16", "cop11~16"),
        ("COP11〜16", "cop11~16"),
        ("ＣＯＰ１５－ｂｉｓ", "cop15-bis"),
        ("  ICLEI \u3000\t Europe\n", "iclei europe"),
        ("Ms.Clover Moore", "ms.clover moore"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


# --- the valid fixture and the API ------------------------------------------------------------


def test_valid_fixture_loads_every_kind(valid: Catalog) -> None:
    counts = {kind: len(valid.by_kind(kind)) for kind, _ in KINDS.values()}
    assert counts == {
        "city": 2,
        "organization": 3,
        "declaration": 1,
        "event": 2,
        "programme": 1,
        "place": 4,
        "person": 1,
    }
    assert len(valid) == 14
    ids = [e.id for e in valid]
    assert ids == [e.id for e in sorted(valid.entities, key=lambda e: (e.kind, e.id))]


def test_entity_fields_and_facts(valid: Catalog) -> None:
    iclei = valid.get("iclei")
    assert iclei.kind == "organization"
    assert iclei.type == "InternationalOrganization"
    assert iclei.label_en == "ICLEI – Local Governments for Sustainability"
    assert iclei.label_zh == "地方環境行動國際委員會"
    assert iclei.aliases == ("ICLEI", "International Council for Local Environmental Initiatives")
    assert iclei.hidden_aliases == ("ICELI", "地方環境\ufa08動國際委員")  # kept as written
    assert iclei.file == str(VALID / "organizations.yaml")
    assert iclei.line == 2
    assert iclei.wikidata == "Q182016"
    assert iclei.fact("location") == Fact(
        "location",
        "bonn",
        "https://www.bonn.de/themen-entdecken/uno-internationales/iclei-localgovernmentsforsustainability.php",
        17,
    )
    assert iclei.fact("start_date") is None
    assert valid.get("unfccc").wikidata is None
    cop15 = valid.get("cop15")
    assert [f.value for f in cop15.facts_for("start_date")] == ["2009-12-07"]
    assert cop15.facts_for("super_event") == ()
    assert valid.get("cop15-side-event").fact("start_date") == Fact(
        "start_date", "2009-12", "item:高雄市/activity/p2-1", 28
    )
    assert valid.get("mexico-city-pact").note == (
        "Kept although no statement uses it, to test the note field."
    )
    assert valid.get("kaohsiung").note is None


def test_get_unknown_id_names_close_ids(valid: Catalog) -> None:
    with pytest.raises(KeyError, match=r"no entity with id 'icelei'.*did you mean 'iclei'"):
        valid.get("icelei")


def test_by_kind_unknown_kind(valid: Catalog) -> None:
    with pytest.raises(ValueError, match=r"unknown kind 'cities'; expected one of city, "):
        valid.by_kind("cities")


def test_contains_and_iter(valid: Catalog) -> None:
    assert "iclei" in valid
    assert "ICLEI" not in valid  # ids, not names
    assert 3 not in valid
    assert next(iter(valid)).id == "kaohsiung"  # city sorts first


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("台北市", "taipei"),  # label is 臺北市
        ("台北巿", "taipei"),  # hidden alias (the source's 巿 typo)
        ("ＩＣＬＥＩ", "iclei"),
        ("iclei", "iclei"),
        ("ICELI", "iclei"),
        ("地方環境行動國際委員", "iclei"),  # hidden alias written with U+FA08
        ("  Mexico   City Pact ", "mexico-city-pact"),
        ("聯合國", "united-nations"),
        ("Germany", "germany"),
        ("Ban Ki-moon", "ban-ki-moon"),
    ],
)
def test_resolve(valid: Catalog, name: str, expected: str) -> None:
    found = valid.resolve(name)
    assert found is not None and found.id == expected


def test_resolve_unknown_name(valid: Catalog) -> None:
    assert valid.resolve("WMCCC") is None
    assert valid.resolve("") is None


def test_alias_index(valid: Catalog) -> None:
    index = valid.alias_index()
    assert index["台北市"] == "taipei"
    assert index["iclei"] == "iclei"
    assert index["地方環境行動國際委員"] == "iclei"
    names = sum(len({normalize(n) for n in e.names}) for e in valid)
    assert len(index) == names
    index.clear()  # a copy: the catalog's own index is untouched
    assert valid.resolve("ICLEI") is not None


def test_catalog_rejects_clashing_entities(valid: Catalog) -> None:
    taipei = valid.get("taipei")
    with pytest.raises(CatalogError, match="duplicate id 'taipei'"):
        Catalog((taipei, taipei))
    twin = dataclasses.replace(taipei, id="taipei-2", aliases=(), hidden_aliases=())
    with pytest.raises(CatalogError, match=r"name 'Taipei City' of '.*' also names"):
        Catalog((taipei, twin))


# --- invalid catalogs: every error names the file and line at fault ------------------------------
#
# Each case writes BASE plus its own files into tmp_path. The line that must be named is marked
# with a `#!` comment (YAML ignores it); the message must contain `expected`.

_BASE: dict[str, str] = {
    "cities.yaml": """\
        - id: kaohsiung
          type: LocalGovernment
          label:
            en: Kaohsiung City
            zh-Hant: 高雄市
        """,
    "organizations.yaml": """\
        - id: iclei
          type: InternationalOrganization
          label:
            en: ICLEI
            zh-Hant: 地方環境行動國際委員會
        """,
    "events.yaml": """\
        - id: cop15
          type: Event
          label:
            en: COP15
            zh-Hant: 第十五屆締約國大會
        """,
    "places.yaml": """\
        - id: bonn
          type: City
          label:
            en: Bonn
            zh-Hant: 波昂
        - id: germany
          type: Country
          label:
            en: Germany
            zh-Hant: 德國
        """,
}
BASE = {name: dedent(text) for name, text in _BASE.items()}


def _person(*lines: str, id: str = "someone") -> dict[str, str]:
    """people.yaml with one person whose fields after the labels are ``lines``."""
    head = [f"- id: {id}", "  type: Person", "  label:", "    en: Someone", "    zh-Hant: 某人"]
    return {"people.yaml": "\n".join([*head, *lines]) + "\n"}


def _event_facts(*facts: tuple[str, str, str]) -> dict[str, str]:
    """events.yaml with cop15 and an event ``x`` with these (property, value, source) facts."""
    text = BASE["events.yaml"] + dedent(
        """\
        - id: x
          type: Event
          label:
            en: X
            zh-Hant: 某會議
          facts:
        """
    )
    for prop, value, source in facts:
        text += f"  - property: {prop}\n    value: {value}\n    source: {source}\n"
    return {"events.yaml": text}


SRC = "https://example.org/"
CASES: dict[str, tuple[dict[str, str], str]] = {
    "yaml-syntax": (_person("  aliases: [a, b", "  note: x  #!"), "not valid YAML"),
    "not-a-list": (
        {"people.yaml": "id: someone  #!\ntype: Person\n"},
        "expected a list of entries",
    ),
    "entry-not-a-mapping": ({"people.yaml": "- someone  #!\n"}, "expected a mapping with keys id"),
    "unknown-key": (
        _person("  labels: x  #!"),
        "unknown key 'labels' in an entry; expected one of",
    ),
    "duplicate-key": (_person("  type: Person  #!"), "duplicate key 'type'"),
    "unknown-label-key": (
        {"people.yaml": "- id: a\n  type: Person\n  label:\n    en: A\n    zh: 甲  #!\n"},
        "unknown key 'zh' in label; expected one of en, zh-Hant",
    ),
    "missing-id": (
        {"people.yaml": "- type: Person  #!\n  label:\n    en: A\n    zh-Hant: 甲\n"},
        "missing 'id'",
    ),
    "missing-type": (
        {"people.yaml": "- id: a  #!\n  label:\n    en: A\n    zh-Hant: 甲\n"},
        "missing 'type'",
    ),
    "missing-label": ({"people.yaml": "- id: a  #!\n  type: Person\n"}, "missing 'label'"),
    "missing-label-en": (
        {"people.yaml": "- id: a\n  type: Person\n  label:  #!\n    zh-Hant: 甲\n"},
        "entry 'a': missing label.en",
    ),
    "missing-label-zh": (
        {"people.yaml": "- id: a\n  type: Person\n  label:  #!\n    en: A\n"},
        "entry 'a': missing label.zh-Hant",
    ),
    "id-upper-case": (_person(id="Some-One  #!"), "id 'Some-One' is not a slug"),
    "id-underscore": (_person(id="some_one  #!"), "id 'some_one' is not a slug"),
    "id-trailing-dash": (_person(id="someone-  #!"), "id 'someone-' is not a slug"),
    "id-not-a-string": (_person(id="[a]  #!"), "id must be a string"),
    "duplicate-id-in-file": (
        {
            "places.yaml": BASE["places.yaml"]
            + "- id: germany  #!\n  type: Country\n  label:\n    en: Deutschland\n"
            "    zh-Hant: 德意志\n"
        },
        "duplicate id 'germany'; already used at ",
    ),
    "duplicate-id-across-files": (
        {"people.yaml": "- id: bonn  #!\n  type: Person\n  label:\n    en: B\n    zh-Hant: 乙\n"},
        "duplicate id 'bonn'; already used at ",
    ),
    "type-not-allowed": (
        {
            "people.yaml": "- id: a\n  type: Organization  #!\n"
            "  label:\n    en: A\n    zh-Hant: 甲\n"
        },
        "type 'Organization' is not allowed for a person; expected Person",
    ),
    "label-not-trimmed": (
        {"people.yaml": "- id: a\n  type: Person\n  label:\n    en: ' A'  #!\n    zh-Hant: 甲\n"},
        "label.en ' A' is not trimmed",
    ),
    "label-empty": (
        {"people.yaml": "- id: a\n  type: Person\n  label:\n    en: A\n    zh-Hant: ''  #!\n"},
        "label.zh-Hant is empty",
    ),
    "label-null": (
        {"people.yaml": "- id: a\n  type: Person\n  label:\n    en:  #!\n    zh-Hant: 甲\n"},
        "label.en must be a string",
    ),
    "alias-not-trimmed": (_person("  aliases:", "  - 'Someone '  #!"), "alias 'Someone ' is not"),
    "alias-ideographic-space": (_person("  aliases:", "  - 　某人  #!"), "is not trimmed"),
    "alias-empty": (_person("  aliases:", "  - ''  #!"), "alias is empty"),
    "alias-two-lines": (_person("  aliases:", '  - "Some\\none"  #!'), "must be one line"),
    "aliases-not-a-list": (_person("  aliases: Someone  #!"), "aliases must be a list"),
    "hidden-alias-empty": (
        _person("  hidden_aliases:", "  -  #!"),
        "hidden alias must be a string",
    ),
    "alias-same-as-own-label": (
        {
            "cities.yaml": "- id: taipei\n  type: LocalGovernment\n  label:\n    en: Taipei\n"
            "    zh-Hant: 台北市\n  aliases:\n  - 臺北市  #!\n"
        },
        "alias '臺北市' is the same name (once normalised) as the label.zh-Hant '台北市' of the "
        "same entry",
    ),
    "duplicate-alias-in-entry": (
        _person("  aliases:", "  - ICLEI Fan", "  hidden_aliases:", "  - ＩＣＬＥＩ fan  #!"),
        "hidden alias 'ＩＣＬＥＩ fan' is the same name (once normalised) as the alias 'ICLEI Fan'",
    ),
    "alias-of-two-entities": (
        {
            "people.yaml": "- id: a\n  type: Person\n  label:\n    en: A\n    zh-Hant: 甲\n"
            "  aliases:\n  - Mr. X\n"
            "- id: b\n  type: Person\n  label:\n    en: B\n    zh-Hant: 乙\n"
            "  aliases:\n  - mr.  x  #!\n"
        },
        "alias 'mr.  x' is the same name (once normalised) as the alias 'Mr. X' of entry 'a'",
    ),
    "alias-is-another-entitys-label": (
        _person("  hidden_aliases:", "  - ＩＣＬＥＩ  #!"),
        "hidden alias 'ＩＣＬＥＩ' is the same name (once normalised) as the label.en 'ICLEI' of "
        "entry 'iclei'",
    ),
    "label-is-another-entitys-label": (
        {"people.yaml": "- id: a\n  type: Person\n  label:\n    en: Bonn  #!\n    zh-Hant: 甲\n"},
        "label.en 'Bonn' is the same name (once normalised) as the label.en 'Bonn' of entry 'bonn'",
    ),
    "fact-unknown-property": (
        _person(
            "  facts:", "  - property: birthday  #!", "    value: '1944'", f"    source: {SRC}"
        ),
        "unknown fact property 'birthday'; expected one of wikidata, start_date",
    ),
    "fact-unknown-key": (
        _person("  facts:", "  - property: role", "    value: Mayor", f"    url: {SRC}  #!"),
        "unknown key 'url' in a fact; expected one of property, value, source",
    ),
    "fact-not-applicable": (
        {
            "declarations.yaml": "- id: pact\n  type: Declaration\n  label:\n    en: Pact\n"
            "    zh-Hant: 協定\n  facts:\n  - property: history  #!\n    value: x\n"
            f"    source: {SRC}\n"
        },
        "history does not apply to a declaration; only to: city",
    ),
    "fact-without-source": (
        _person("  facts:", "  - property: role  #!", "    value: Mayor of Bonn"),
        "fact without 'source'; every fact cites its source",
    ),
    "fact-without-value": (
        _person("  facts:", "  - property: role  #!", f"    source: {SRC}"),
        "fact without 'value'",
    ),
    "source-not-a-url": (
        _person("  facts:", "  - property: role", "    value: Mayor", "    source: Wikipedia  #!"),
        "source 'Wikipedia' is neither an http(s):// URL nor item:{record ref}",
    ),
    "source-ftp": (
        _person(
            "  facts:", "  - property: role", "    value: Mayor", "    source: ftp://x.org/  #!"
        ),
        "source 'ftp://x.org/' is neither",
    ),
    "source-item-not-a-record-ref": (
        _person(
            "  facts:", "  - property: role", "    value: Mayor", "    source: item:高雄市  #!"
        ),
        "source 'item:高雄市' is neither",
    ),
    "wikidata-not-a-qid": (
        _person(
            "  facts:",
            "  - property: wikidata",
            "    value: '182016'  #!",
            "    source: https://www.wikidata.org/wiki/182016",
        ),
        "wikidata value '182016' is not a Q-id",
    ),
    "wikidata-wrong-source": (
        _person(
            "  facts:",
            "  - property: wikidata",
            "    value: Q1",
            "    source: https://www.wikidata.org/wiki/Q2  #!",
        ),
        "must be its page https://www.wikidata.org/wiki/Q1",
    ),
    "wikidata-source-not-the-wiki-page": (
        _person(
            "  facts:",
            "  - property: wikidata",
            "    value: Q1",
            "    source: https://en.wikipedia.org/wiki/Universe  #!",
        ),
        "wikidata source 'https://en.wikipedia.org/wiki/Universe' must be its page",
    ),
    "date-slashes": (
        {"events.yaml": _event_facts(("start_date", "2009/12/07  #!", SRC))["events.yaml"]},
        "start_date '2009/12/07' is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    "date-not-in-calendar": (
        {"events.yaml": _event_facts(("end_date", "'2009-02-30'  #!", SRC))["events.yaml"]},
        "end_date '2009-02-30' is not a date",
    ),
    "date-month-13": (
        {"events.yaml": _event_facts(("start_date", "2009-13  #!", SRC))["events.yaml"]},
        "start_date '2009-13' is not a date",
    ),
    "start-after-end": (
        _event_facts(("start_date", "'2009-12-18'", SRC), ("end_date  #!", "2009-11", SRC)),
        "end_date 2009-11 is before start_date 2009-12-18",
    ),
    "start-year-after-end": (
        _event_facts(("end_date  #!", "'2009-12-18'", SRC), ("start_date", "'2010'", SRC)),
        "end_date 2009-12-18 is before start_date 2010",
    ),
    "reference-unknown-id": (
        _event_facts(("location  #!", "bon", SRC)),
        "location no entity with id 'bon' in the catalog; did you mean 'bonn'?; "
        "expected the id of a place",
    ),
    "location-not-a-place": (
        _event_facts(("location  #!", "cop15", SRC)),
        "location 'cop15' is an event (Event); expected a place",
    ),
    "country-not-a-country": (
        {
            "places.yaml": BASE["places.yaml"].replace(
                "- id: germany",
                "  facts:\n  - property: country  #!\n    value: bonn\n"
                f"    source: {SRC}\n- id: germany",
            )
        },
        "country 'bonn' is a place (City); expected a place of type Country",
    ),
    "organizer-not-an-organization": (
        _event_facts(("organizer  #!", "germany", SRC)),
        "organizer 'germany' is a place (Country); expected an organization or a city",
    ),
    "super-event-not-an-event": (
        _event_facts(("super_event  #!", "iclei", SRC)),
        "super_event 'iclei' is an organization (InternationalOrganization); expected an event",
    ),
    "affiliation-not-an-org-city-or-place": (
        _person(
            "  facts:", "  - property: affiliation  #!", "    value: cop15", f"    source: {SRC}"
        ),
        "affiliation 'cop15' is an event (Event); expected an organization or a city or a place",
    ),
    "reference-not-an-id": (
        _event_facts(("location", "Bonn  #!", SRC)),
        "location value 'Bonn' is not an entity id",
    ),
    "super-event-cycle": (
        {
            "events.yaml": "- id: a  #!\n  type: Event\n  label:\n    en: A\n    zh-Hant: 甲\n"
            f"  facts:\n  - property: super_event\n    value: b\n    source: {SRC}\n"
            "- id: b\n  type: Event\n  label:\n    en: B\n    zh-Hant: 乙\n"
            f"  facts:\n  - property: super_event\n    value: a\n    source: {SRC}\n"
        },
        "super_event cycle a -> b -> a",
    ),
    "lat-out-of-range": (
        {
            "places.yaml": BASE["places.yaml"].replace(
                "- id: germany",
                f"  facts:\n  - property: lat\n    value: '90.5'  #!\n    source: {SRC}\n"
                "- id: germany",
            )
        },
        "lat '90.5' is not a number in [-90, 90]",
    ),
    "long-out-of-range": (
        {
            "cities.yaml": BASE["cities.yaml"]
            + f"  facts:\n  - property: long\n    value: '-180.01'  #!\n    source: {SRC}\n"
        },
        "long '-180.01' is not a number in [-180, 180]",
    ),
    "lat-not-a-number": (
        {
            "cities.yaml": BASE["cities.yaml"]
            + f"  facts:\n  - property: lat\n    value: 22°37′N  #!\n    source: {SRC}\n"
        },
        "lat '22°37′N' is not a number",
    ),
    "not-sorted": (
        {
            "places.yaml": "- id: germany\n  type: Country\n  label:\n    en: Germany\n"
            "    zh-Hant: 德國\n- id: bonn  #!\n  type: City\n  label:\n    en: Bonn\n"
            "    zh-Hant: 波昂\n"
        },
        "entry 'bonn' comes after 'germany'; entries must be sorted by id: "
        "run `lowcarbon catalog --format`",
    ),
}


def _write(folder: Path, files: dict[str, str]) -> tuple[Path, int]:
    """Write BASE and ``files``; return the file and line marked ``#!``."""
    folder.mkdir(parents=True, exist_ok=True)
    marked: list[tuple[Path, int]] = []
    for name, text in {**BASE, **files}.items():
        body = dedent(text)
        path = folder / name
        path.write_text(f"# {name}\n{body}", encoding="utf-8")
        lines = body.splitlines()
        marked += [(path, n + 2) for n, line in enumerate(lines) if line.endswith("#!")]
    assert len(marked) == 1, "each case marks exactly one line with #!"
    return marked[0]


def test_base_of_the_invalid_cases_is_valid(tmp_path: Path) -> None:
    for name, text in BASE.items():
        (tmp_path / name).write_text(dedent(text), encoding="utf-8")
    assert len(load_catalog(tmp_path)) == 5


@pytest.mark.parametrize("case", list(CASES))
def test_invalid_catalog(tmp_path: Path, case: str) -> None:
    files, expected = CASES[case]
    path, line = _write(tmp_path / "entities", files)
    with pytest.raises(CatalogError) as info:
        load_catalog(tmp_path / "entities")
    err = info.value
    assert (err.path, err.line) == (str(path), line), str(err)
    where = f"{path}:{line}" + (f":{err.column}" if err.column is not None else "")
    assert str(err).startswith(f"{where}: ")
    assert expected in err.message


def test_error_names_the_entry(tmp_path: Path) -> None:
    _, line = _write(tmp_path, _person("  aliases:", "  - ''  #!"))
    with pytest.raises(
        CatalogError, match=rf"people\.yaml:{line}: entry 'someone': alias is empty"
    ):
        load_catalog(tmp_path)


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="no such folder") as info:
        load_catalog(tmp_path / "nowhere")
    assert info.value.path == str(tmp_path / "nowhere")


@pytest.mark.parametrize("name", ["person.yaml", "cities.yml", "links.yaml"])
def test_unexpected_yaml_file(tmp_path: Path, name: str) -> None:
    shutil.copytree(VALID, tmp_path / "entities")
    (tmp_path / "entities" / name).write_text("[]\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="unexpected file in the catalog folder") as info:
        load_catalog(tmp_path / "entities")
    assert info.value.path == str(tmp_path / "entities" / name)


def test_other_files_and_missing_kinds_are_fine(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# catalog\n", encoding="utf-8")
    (tmp_path / "places.yaml").write_text(dedent(BASE["places.yaml"]), encoding="utf-8")
    (tmp_path / "people.yaml").write_text("# person\n", encoding="utf-8")  # no entries yet
    assert [e.id for e in load_catalog(tmp_path)] == ["bonn", "germany"]


def test_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "people.yaml").write_bytes(b"# person\n- id: a\n  label: \xff\n")
    with pytest.raises(CatalogError, match="not valid UTF-8") as info:
        load_catalog(tmp_path)
    assert info.value.line == 3


# --- the one writer ------------------------------------------------------------------------------


def test_valid_fixture_is_canonical() -> None:
    assert format_catalog(VALID, check=True) == []


@pytest.mark.parametrize("stem", list(KINDS))
def test_dump_round_trips(valid: Catalog, tmp_path: Path, stem: str) -> None:
    kind = KINDS[stem][0]
    text = dump_entities(valid.by_kind(kind))
    assert text.encode("utf-8") == (VALID / f"{stem}.yaml").read_bytes()
    shutil.copytree(VALID, tmp_path, dirs_exist_ok=True)
    (tmp_path / f"{stem}.yaml").write_text(text, encoding="utf-8")
    again = load_catalog(tmp_path).by_kind(kind)
    assert [_strip_lines(e) for e in again] == [_strip_lines(e) for e in valid.by_kind(kind)]


def test_dump_layout() -> None:
    long_note = "A note that is long enough to be folded by a default YAML width. " * 5
    e = Entity(
        id="b",
        kind="event",
        type="Event",
        label_en="B",
        label_zh="乙會議",
        aliases=("COP 15",),
        facts=(Fact("start_date", "2009-12-07", "item:高雄市/activity/1", 0),),
        note=long_note.strip(),
    )
    a = Entity(id="a", kind="event", type="Event", label_en="A", label_zh="甲")
    assert dump_entities([e, a]) == (
        "# event — curated; format with: lowcarbon catalog --format\n"
        "- id: a\n"
        "  type: Event\n"
        "  label:\n"
        "    en: A\n"
        "    zh-Hant: 甲\n"
        "- id: b\n"
        "  type: Event\n"
        "  label:\n"
        "    en: B\n"
        "    zh-Hant: 乙會議\n"
        "  aliases:\n"
        "  - COP 15\n"
        "  facts:\n"
        "  - property: start_date\n"
        "    value: '2009-12-07'\n"
        "    source: item:高雄市/activity/1\n"
        f"  note: {long_note.strip()}\n"
    )


def test_dump_multiline_note_round_trips(tmp_path: Path) -> None:
    e = Entity("a", "person", "Person", "A", "甲", note="First line.\nSecond: line.")
    text = dump_entities([e])
    assert "  note: |-\n    First line.\n    Second: line.\n" in text
    (tmp_path / "people.yaml").write_text(text, encoding="utf-8")
    assert load_catalog(tmp_path).get("a").note == "First line.\nSecond: line."


def test_dump_empty_and_mixed_kinds() -> None:
    assert dump_entities([], kind="person").endswith("\n[]\n")
    with pytest.raises(ValueError, match="one kind"):
        dump_entities([])
    a = Entity("a", "person", "Person", "A", "甲")
    b = Entity("b", "place", "Place", "B", "乙")
    with pytest.raises(ValueError, match="one kind"):
        dump_entities([a, b])


def test_format_catalog_check_then_write(valid: Catalog, tmp_path: Path) -> None:
    folder = tmp_path / "entities"
    shutil.copytree(VALID, folder)
    events = folder / "events.yaml"
    # Reverse the entries, drop the header, reorder keys and quote what need not be quoted.
    entries = [
        {
            "type": d["type"],
            "id": d["id"],
            **{k: v for k, v in d.items() if k not in ("id", "type")},
        }
        for d in yaml.safe_load(events.read_text("utf-8"))
    ]
    messy = yaml.safe_dump(entries[::-1], allow_unicode=False, sort_keys=False, width=60)
    events.write_text(messy, encoding="utf-8")
    with pytest.raises(CatalogError, match="must be sorted by id"):
        load_catalog(folder)

    assert format_catalog(folder, check=True) == [events]
    assert events.read_text("utf-8") == messy  # check writes nothing
    assert format_catalog(folder, check=False) == [events]
    assert events.read_bytes() == (VALID / "events.yaml").read_bytes()
    assert format_catalog(folder, check=True) == []
    assert [_strip_lines(e) for e in load_catalog(folder)] == [_strip_lines(e) for e in valid]
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in VALID.iterdir())


def test_format_catalog_refuses_an_invalid_catalog(tmp_path: Path) -> None:
    path, _ = _write(tmp_path, _event_facts(("location  #!", "cop15", SRC)))
    before = path.read_bytes()
    with pytest.raises(CatalogError, match="expected a place"):
        format_catalog(tmp_path, check=False)
    assert path.read_bytes() == before


# --- the real catalog ----------------------------------------------------------------------------


def _real_ids() -> list[str]:
    """Every id in data/entities/, read without the validator (collection must not fail)."""
    ids: list[str] = []
    for stem in KINDS:
        try:
            entries = yaml.safe_load((REAL / f"{stem}.yaml").read_text("utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        ids += [str(d.get("id")) for d in entries or [] if isinstance(d, dict)]
    return ids


REAL_IDS = _real_ids()
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason=REAL_ABSENT)


def _load_real() -> Catalog | CatalogError:
    try:
        return load_catalog(REAL)
    except CatalogError as exc:
        return exc


@pytest.fixture(scope="module")
def real() -> Catalog:
    """The real catalog; the tests that need it skip if it does not load (one test says why)."""
    if not REAL.is_dir():
        pytest.skip(REAL_ABSENT)
    loaded = _load_real()
    if isinstance(loaded, CatalogError):
        pytest.skip("data/entities/ does not load: see test_real_catalog_loads")
    return loaded


@needs_real
def test_real_catalog_loads() -> None:
    loaded = _load_real()
    assert not isinstance(loaded, CatalogError), f"the real catalog does not load: {loaded}"


@pytest.fixture(scope="module")
def real_names(real: Catalog) -> dict[str, set[str]]:
    """Normalised name -> the ids it names, computed here rather than by Catalog."""
    names: dict[str, set[str]] = defaultdict(set)
    for e in real:
        for name in (e.label_en, e.label_zh, *e.aliases, *e.hidden_aliases):
            names[normalize(name)].add(e.id)
    return names


@needs_real
def test_real_catalog_has_every_kind(real: Catalog) -> None:
    for stem, (kind, _) in KINDS.items():
        assert (REAL / f"{stem}.yaml").is_file(), f"data/entities/{stem}.yaml is missing"
        assert real.by_kind(kind), f"data/entities/{stem}.yaml has no entries"
    assert len(real) == len(REAL_IDS)


@needs_real
@pytest.mark.parametrize("id", REAL_IDS)
def test_real_entity_integrity(real: Catalog, real_names: dict[str, set[str]], id: str) -> None:
    assert ID_SYNTAX.match(id), f"id {id!r} is not a slug"
    assert REAL_IDS.count(id) == 1, f"id {id!r} is used {REAL_IDS.count(id)} times"
    e = real.get(id)
    for label in (e.label_en, e.label_zh):
        assert label and label == label.strip(), f"{id}: label {label!r} empty or not trimmed"
    spellings = [*e.aliases, *e.hidden_aliases]
    keys = [normalize(n) for n in spellings]
    assert len(set(keys)) == len(keys), f"{id}: two aliases are the same once normalised"
    labels = {normalize(e.label_en), normalize(e.label_zh)}
    assert not labels & set(keys), f"{id}: an alias repeats a label"
    for name in (e.label_en, e.label_zh, *spellings):
        assert name == name.strip() and name, f"{id}: name {name!r} empty or not trimmed"
        assert real_names[normalize(name)] == {id}, f"{name!r} names {real_names[normalize(name)]}"
        found = real.resolve(name)
        assert found is not None and found.id == id, f"{name!r} does not resolve to {id}"
    for fact in e.facts:
        assert CITED.match(fact.source), f"{id}: {fact.property} {fact.value!r} is not cited"


@needs_real
@pytest.mark.parametrize("stem", [s for s in KINDS if (REAL / f"{s}.yaml").is_file()])
def test_real_catalog_is_canonical(real: Catalog, stem: str) -> None:
    text = dump_entities(real.by_kind(KINDS[stem][0]), kind=KINDS[stem][0])
    assert text.encode("utf-8") == (REAL / f"{stem}.yaml").read_bytes(), (
        f"data/entities/{stem}.yaml is not in canonical form: run `lowcarbon catalog --format`"
    )
