"""A synthetic project root: the files, their checks, and writing them all or nothing."""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from lowcarbon.catalog import KINDS, Entity, dump_entities, normalize
from lowcarbon.errors import LowcarbonError
from lowcarbon.fileio import folder_in_use, replace_tree
from lowcarbon.ingest import MAX_SOURCE_BYTES, parse_source, records_csv
from lowcarbon.paths import Paths
from lowcarbon.pipeline import Pipeline
from lowcarbon.synth.activities import TOPICS, VISITORS
from lowcarbon.synth.columns import write_item
from lowcarbon.synth.document import COLUMNS, HEADER_TEXT, Row, document_text
from lowcarbon.synth.events import NOTE, Tail
from lowcarbon.synth.items import PHRASES, Expect, Item, Writer
from lowcarbon.synth.kinds import VISIT
from lowcarbon.synth.names import EVENT_KINDS, EVENT_THEMES, CityName, city_names
from lowcarbon.synth.reuse import shared_entities
from lowcarbon.yamlread import MAX_YAML_BYTES

__all__ = [
    "MAX_CITIES",
    "MAX_ITEMS_PER_CITY",
    "MAX_SEED",
    "SynthError",
    "SynthRoot",
    "check_arguments",
    "check_out",
    "generate_root",
    "synthesize",
]

#: Bounds of the arguments. The readers' own limits (a 16 MiB source document, 16 MiB catalog
#: files) are checked on what is generated: about 190,000 items fit in one document. Cities:
#: a name's romanization is two syllables of the character pool and no two cities share one,
#: which gives about 18,600 names (seed 0: 18,682); 18,000 leaves room under every seed.
MAX_CITIES = 18_000
MAX_ITEMS_PER_CITY = 100
MAX_SEED = 2**63 - 1

# Share of each column among a city's items after its first (always an organization): the real
# table has 14 organization, 10 declaration and 23 activity items.
_COLUMN_WEIGHTS = (0.3, 0.2, 0.5)
_SUBLIST = 0.1  # cities whose activities end with a sub-list of visits received (1 of 10)
_SWAP = 0.2  # the table's rows follow the header's city list, with some neighbours swapped
_SOURCE = "data/source/honor-roll-2011.txt"


class SynthError(LowcarbonError, ValueError):
    """Arguments that cannot make a root, or an output folder that is in use (exit 2)."""


@dataclass(frozen=True)
class SynthRoot:
    """A generated root: its files, and what building it must give."""

    files: dict[str, bytes]
    args: str
    cities: int
    expected: dict[str, tuple[Expect, ...]]  # record ref -> the statements it must yield
    generated_events: int
    reused_entities: int

    @property
    def items(self) -> int:
        """Items (records) in the document."""
        return len(self.expected)

    def statement_counts(self) -> dict[str, int]:
        """Expected statements by ``kind/status``, sorted."""
        counts = Counter(f"{e.kind}/{e.status}" for es in self.expected.values() for e in es)
        return dict(sorted(counts.items()))

    def summary(self) -> str:
        """One line: what the root holds."""
        counts = self.statement_counts()
        detail = ", ".join(f"{k} {v}" for k, v in counts.items())
        return (
            f"{self.cities} cities, {self.items} items, {sum(counts.values())} statements "
            f"expected ({detail}), {self.generated_events} generated events, "
            f"{self.reused_entities} entities reused from the real catalog"
        )


def check_arguments(cities: int, items_per_city: int, seed: int) -> None:
    """Raise SynthError unless each argument is a whole number within its bounds."""
    for flag, value, low, high in (
        ("--cities", cities, 1, MAX_CITIES),
        ("--items-per-city", items_per_city, 1, MAX_ITEMS_PER_CITY),
        ("--seed", seed, 0, MAX_SEED),
    ):
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise SynthError(
                f"{flag}: expected a whole number from {low} to {high:,}, not {value!r}"
            )


def check_out(out: Path) -> None:
    """Raise SynthError unless ``out`` is absent or an empty folder."""
    why = folder_in_use(out)
    if why == "not a folder":
        raise SynthError(f"--out {out}: not a folder; expected an empty or absent folder")
    if why is not None:
        raise SynthError(
            f"--out {out}: the folder is not empty; synth writes only into an empty or absent "
            "folder, so that it never replaces a project"
        )


def _cities_in_table_order(rng: random.Random, names: list[CityName]) -> list[CityName]:
    order = list(names)
    k = 0
    while k < len(order) - 1:
        if rng.random() < _SWAP:
            order[k], order[k + 1] = order[k + 1], order[k]
            k += 1
        k += 1
    return order


def _row(rng: random.Random, writer: Writer, city: CityName, k: int) -> Row:
    columns = ["org", *rng.choices(COLUMNS, weights=_COLUMN_WEIGHTS, k=k - 1)]
    n_act = columns.count("activity")
    n_visits = rng.randint(1, min(3, n_act - 1)) if n_act >= 2 and rng.random() < _SUBLIST else 0
    writer.start(city)
    cells: dict[str, list[Item]] = {c: [] for c in COLUMNS}
    for column in COLUMNS:
        n = columns.count(column) - (n_visits if column == "activity" else 0)
        cells[column] = [write_item(writer, column) for _ in range(n)]
    visits = [write_item(writer, VISIT) for _ in range(n_visits)]
    return Row(city, cells, visits)


def _city_entity(c: CityName) -> Entity:
    return Entity(
        id=c.id,
        kind="city",
        type="LocalGovernment",
        label_en=c.en,
        label_zh=c.zh,
        aliases=(c.stem, c.short_en),
        note=NOTE.format(what="city or county"),
    )


def _links_yaml(placed: list[tuple[str, Item]]) -> str:
    entries = [{"record": ref, **link} for ref, item in placed for link in item.links]
    head = (
        "# Judgment calls for the synthetic document, made by `lowcarbon synth` with its items.\n"
        "# Actions: map, ignore, ignore_entity, add (see the real data/links.yaml).\n"
    )
    if not entries:
        return head
    body = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=1_000_000)
    return head + body


def _readme(root: SynthRoot, counts: dict[str, int]) -> str:
    rows = "\n".join(f"| {k} | {v:,} |" for k, v in counts.items())
    return f"""# A synthetic lowcarbon project root — not real data

Made by `lowcarbon synth {root.args}`. **Nothing in `data/source/` or among the cities is
real**: the cities and counties, the items they report and the dates are invented, with the
real table's layout, phrasing, typos and proportions, to test and measure the toolkit at scale
(see `docs/scale.md` of the lowcarbon repository). The organizations, declarations, programmes,
places and shared events are the real catalog's, with the facts cited to items of the real
document dropped; the generated events, visits and cities carry a note saying they are
synthetic. Build it with `lowcarbon build --root .` (the dataset metadata it writes still
describes the real honor roll).

| | count |
| --- | ---: |
| cities and counties | {root.cities:,} |
| items in the document | {root.items:,} |
{rows}
| generated events (tail, hosted, visits, plans) | {root.generated_events:,} |
| entities reused from the real catalog | {root.reused_entities:,} |
"""


def _check_size(path: str, data: bytes, limit: int, reader: str) -> None:
    if len(data) > limit:
        raise SynthError(
            f"the generated {path} would be {len(data):,} bytes, but {reader} reads at most "
            f"{limit:,}: use fewer --cities or --items-per-city"
        )


def generate_root(template: Paths, *, cities: int, items_per_city: int, seed: int) -> SynthRoot:
    """A synthetic root of ``cities`` rows of ``items_per_city`` items each, from ``seed``.

    The catalog and ontology are taken from the root ``template``, and its document is linked
    to rank the shared entities. The same arguments and template give the same bytes. Raises
    SynthError for arguments out of bounds or a result the readers would refuse, InputError or
    OSError for a bad template.
    """
    check_arguments(cities, items_per_city, seed)
    args = f"--cities {cities} --items-per-city {items_per_city} --seed {seed}"
    real = Pipeline(template)
    statements = [(s.kind.value, s.target) for s in real.linked.statements]
    shared = shared_entities(real.catalog, template.source.read_text(encoding="utf-8"), statements)
    taken = {e.id for e in shared.kept} | {normalize(n) for e in shared.kept for n in e.names}
    fixed = HEADER_TEXT + "".join(PHRASES) + "".join(n for e in shared.kept for n in e.names)
    fixed += "".join(t[0] for t in (*EVENT_THEMES, *EVENT_KINDS, *VISITORS)) + "".join(TOPICS)
    rng = random.Random(seed)  # noqa: S311 - reproducible made-up data, not a secret
    try:
        names = city_names(cities, rng, excluded_chars=set(fixed), taken=taken)
    except ValueError as exc:
        raise SynthError(f"--cities {cities}: {exc}") from None
    taken |= {k for c in names for k in (c.id, normalize(c.zh), normalize(c.stem), normalize(c.en))}
    tail = Tail(shared.places, taken)
    writer = Writer(rng, shared, tail)
    rows = [_row(rng, writer, c, items_per_city) for c in _cities_in_table_order(rng, names)]
    text, placed = document_text(rng, names, rows, args)
    for ref, item in placed:
        for event, precision in item.stated:
            event.stated(ref, precision)
    source = text.encode("utf-8")
    _check_size(_SOURCE, source, MAX_SOURCE_BYTES, "the ingest stage")
    doc = parse_source(source, _SOURCE)
    entities = [_city_entity(c) for c in names] + list(shared.kept)
    entities += [e.entity() for e in tail.events]
    digest = hashlib.sha256(source).hexdigest()
    files: dict[str, bytes] = {
        _SOURCE: source,
        "data/source/SHA256SUMS": f"{digest}  honor-roll-2011.txt\n".encode(),
        "data/source/README.md": (
            "# The source document — synthetic\n\n`honor-roll-2011.txt` here is made up by "
            f"`lowcarbon synth {args}` in the real document's form; it is not the government "
            "attachment and reports nothing real. `SHA256SUMS` records its checksum.\n"
        ).encode(),
        "data/records.csv": records_csv(doc).encode("utf-8"),
        "data/links.yaml": _links_yaml(placed).encode("utf-8"),
    }
    for stem, (kind, _) in KINDS.items():
        mine = [e for e in entities if e.kind == kind]
        if mine:
            path = f"data/entities/{stem}.yaml"
            files[path] = dump_entities(mine, kind=kind).encode("utf-8")
            _check_size(path, files[path], MAX_YAML_BYTES, "the catalog reader")
    _check_size("data/links.yaml", files["data/links.yaml"], MAX_YAML_BYTES, "the links reader")
    for p in sorted((template.root / "ontology").iterdir()):
        if p.is_file():
            files[f"ontology/{p.name}"] = p.read_bytes()
    expected = {ref: tuple(item.expects) for ref, item in placed}
    root = SynthRoot(files, args, cities, expected, len(tail.events), len(shared.kept))
    files["README.md"] = _readme(root, root.statement_counts()).encode("utf-8")
    return root


def synthesize(
    template: Paths, out: Path, *, cities: int, items_per_city: int, seed: int
) -> SynthRoot:
    """Check the arguments and ``out``, generate the root and write it (all files or none)."""
    check_arguments(cities, items_per_city, seed)
    check_out(out)
    root = generate_root(template, cities=cities, items_per_city=items_per_city, seed=seed)
    replace_tree(out, root.files)
    return root
