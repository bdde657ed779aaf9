"""Items to statements: who joined, signed, attended or hosted what, when, with what status."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from lowcarbon.catalog import Catalog, Entity
from lowcarbon.errors import InputError
from lowcarbon.ingest.dates import (
    Date,
    DateMatch,
    DateRange,
    expand_cop_range,
    find_dates,
)
from lowcarbon.ingest.source import Column, Document, Record
from lowcarbon.link.coverage import Clause, Coverage, clauses_of, nearest_names
from lowcarbon.link.judgments import Link, Links
from lowcarbon.link.mentions import AliasTable, Mention, alias_table, find_mentions
from lowcarbon.link.statements import (
    Kind,
    Linked,
    Statement,
    Status,
    UnresolvedMention,
)
from lowcarbon.link.text import compact, fold

__all__ = [
    "Kind",
    "Linked",
    "Statement",
    "Status",
    "UnresolvedMention",
    "link_document",
    "link_report",
]

# --- statements ----------------------------------------------------------------------------

_CLAUSE_RE = re.compile(r"[，。；]")
_LOCATIVE = ("在", "於", "至", "赴")
_HOST_RE = re.compile(r"(辦理|舉辦)(?!之)")
_ATTEND_RE = re.compile(r"參與|參加|出席|與會|受邀")
_COP_RE = re.compile(
    r"COP\s*\d+(?:\s*[~～\-－]\s*\d+)?|第[一二三四五六七八九十]+[~～\-－]?[一二三四五六七八九十]*屆"
)
_COP_ID_RE = re.compile(r"^cop\d+$")
_ACRONYM_RE = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Z0-9]*[A-Z0-9](?![A-Za-z0-9])")
_QUOTED_RE = re.compile(r"「([^」]+)」")
_BRACKETED_RE = re.compile(r"[(（]([A-Za-z][^()（）]*)[)）]")


@dataclass
class _Draft:
    kind: Kind
    target: str
    roles: list[str]
    status: Status
    date: DateRange | None
    position: int
    at_event: str | None = None
    locations: list[str] = field(default_factory=list)
    counterparts: list[str] = field(default_factory=list)
    added: bool = False
    judgements: list[str] = field(default_factory=list)


def _clause_bounds(body: str, pos: int) -> tuple[int, int]:
    start = 0
    for m in _CLAUSE_RE.finditer(body):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            return start, m.start()
    return start, len(body)


def _status_for(clause: str, date: DateRange | None, period_end: Date) -> Status:
    """Planned when the clause says so, or when it is dated after the period the table covers."""
    if "將" in clause or "會申請" in clause:
        return Status.PLANNED
    if date is not None and date.start.after(period_end):
        return Status.PLANNED
    return Status.DONE


def _date_before(dates: Sequence[DateMatch], pos: int) -> DateRange | None:
    """The last date that starts at or before ``pos`` (dates inside a name count)."""
    best: DateRange | None = None
    for d in dates:
        if d.start <= pos:
            best = d.value
    return best


class _RecordLinker:
    def __init__(
        self,
        record: Record,
        city: Entity,
        catalog: Catalog,
        table: AliasTable,
        links: Sequence[Link],
        period_end: Date,
    ) -> None:
        self.period_end = period_end
        self.record = record
        self.city = city
        self.catalog = catalog
        self.links = links
        self.body = record.body
        extra = [
            (fold(k.text), catalog.get(k.entity))
            for k in links
            if k.action == "map" and k.text and k.entity
        ]
        ignored_entities = {k.entity for k in links if k.action == "ignore_entity"}
        mentions = find_mentions(self.body, table, extra)
        self.ignored_spans = self._ignored_spans()
        self.all_mentions = mentions
        self.mentions = [
            m
            for m in mentions
            if m.entity.id not in ignored_entities
            and m.entity.id != city.id
            and not self._in_ignored(m.start, m.end)
        ]
        self.dates = find_dates(self.body)
        #: spans of the body that statements rest on (see link.coverage)
        self.placed: list[tuple[int, int]] = []
        #: from each statement's name to the next target: where its roles are read
        self.spans: list[tuple[int, int]] = []

    def _ignored_spans(self) -> list[tuple[int, int]]:
        spans = []
        folded = fold(self.body)
        for k in self.links:
            if k.action == "ignore" and k.text:
                i = folded.find(fold(k.text))
                spans.append((i, i + len(k.text)))
        return spans

    def _in_ignored(self, i: int, j: int) -> bool:
        return any(a <= i and j <= b for a, b in self.ignored_spans)

    def of_kind(self, *kinds: str) -> list[Mention]:
        return [m for m in self.mentions if m.entity.kind in kinds]

    # -- statements --

    def drafts(self) -> list[_Draft]:
        org = self.record.column is Column.ORG
        drafts = self._org_drafts() if org else self._event_drafts()
        excluded = [
            (i, i + len(k.text))
            for k in self.links
            if k.action == "exclude" and k.text
            for i in [fold(self.body).find(fold(k.text))]
            if i >= 0
        ]
        drafts = [d for d in drafts if not any(a <= d.position < b for a, b in excluded)]
        self._decorate(drafts)
        return drafts

    def _org_drafts(self) -> list[_Draft]:
        drafts: dict[tuple[str, Status], _Draft] = {}
        current: list[Mention] = []
        start = 0
        for seg_end in [*(m.start() for m in _CLAUSE_RE.finditer(self.body)), len(self.body)]:
            clause = self.body[start:seg_end]
            orgs = [m for m in self.of_kind("organization") if start <= m.start < seg_end]
            progs = [m for m in self.of_kind("programme") if start <= m.start < seg_end]
            if orgs:
                current = orgs
            dates = [d for d in self.dates if start <= d.start < seg_end]
            date = dates[0].value if dates else None
            if "會申請" in clause or "將" in clause:
                status: Status | None = Status.PLANNED
            elif "申請" in clause and "同意" not in clause:
                status = Status.APPLIED
            elif re.search("加入|成為|會員|同意", clause):
                status = Status.DONE
            else:
                status = None
            if status is not None and current:
                self.placed.append((start, seg_end))
            if status is not None:
                for m in current:
                    key = (m.entity.id, status)
                    old = drafts.get(key)
                    if old is None or (old.date is None and date is not None):
                        drafts[key] = _Draft(
                            Kind.MEMBERSHIP, m.entity.id, ["member"], status, date, m.start
                        )
            for m in progs:
                self.placed.append((m.start, m.end))
                key = (m.entity.id, Status.DONE)
                if key not in drafts:
                    drafts[key] = _Draft(
                        Kind.PARTICIPATION, m.entity.id, ["participant"], Status.DONE, date, m.start
                    )
            start = seg_end + 1
        return sorted(drafts.values(), key=lambda d: (d.position, d.target, d.status.value))

    def _targets(self) -> list[Mention]:
        """Declarations, events and programmes named in the record, once each, in order.

        COP sessions are read from ranges (COP11～16, 第十一～十六屆, COP14-15) rather than from
        aliases, except where a COP is part of a longer event name (COP15高階會議).
        """
        named = [
            m
            for m in self.of_kind("declaration", "event", "programme")
            if not _COP_ID_RE.match(m.entity.id)
        ]
        targets: list[Mention] = []
        seen: set[str] = set()
        for m in named:
            if m.entity.id not in seen:
                seen.add(m.entity.id)
                targets.append(m)
        for k in self.links:
            if k.action == "add" and k.entity and k.entity not in seen:
                seen.add(k.entity)
                targets.append(Mention(self.catalog.get(k.entity), 0, 0))
        free = [
            c
            for c in _COP_RE.finditer(self.body)
            if not any(t.start <= c.start() < t.end for t in named)
        ]
        if free:
            pos = free[0].start()
            for n in expand_cop_range(" ".join(c.group(0) for c in free)):
                cid = f"cop{n}"
                if cid in self.catalog and cid not in seen:
                    seen.add(cid)
                    targets.append(Mention(self.catalog.get(cid), pos, pos))
        targets.sort(key=lambda m: (m.start, m.entity.id))
        return targets

    def _event_drafts(self) -> list[_Draft]:
        drafts: list[_Draft] = []
        targets = self._targets()
        visit = "來訪" in self.body
        for idx, m in enumerate(targets):
            if m.end > 0:  # an ``add`` target (0, 0) rests on no span of the text
                self.placed.append((m.start, max(m.end, m.start + 1)))
            clause = _clause_bounds(self.body, m.start)
            text = self.body[clause[0] : clause[1]]
            date = _date_before(self.dates, max(m.end, m.start))
            status = _status_for(text, date, self.period_end)
            nxt = next((t.start for t in targets[idx + 1 :] if t.start > m.start), len(self.body))
            span = self.body[m.start : nxt]
            if m.end > 0:
                self.spans.append((m.start, nxt))
            kind_name = m.entity.kind
            if kind_name == "declaration":
                kind, roles = Kind.SIGNING, ["signatory"]
            elif visit and kind_name == "event":
                kind, roles = Kind.VISIT, ["visitHost"]
            elif kind_name == "programme" and re.search("揭露", self._outside_mentions()):
                kind, roles = Kind.DISCLOSURE, ["discloser"]
                # the clauses that say it is a disclosure are what the kind rests on
                self.placed += [(i.start(), i.end()) for i in re.finditer("揭露", self.body)]
            elif kind_name == "event" and self._hosts(m.start):
                kind, roles = Kind.HOSTING, ["host"]
            else:
                kind = Kind.PARTICIPATION
                roles = (
                    ["participant"] if kind_name == "programme" or "參訪" in text else ["attendee"]
                )
                if re.search(r"發表[^，。]*(演說|作法|報告)", span):
                    roles.append("speaker")
                if re.search(r"發表[^，。]*文章", span):
                    roles.append("author")
                if "攤位" in self.body:
                    roles.append("exhibitor")
            d = _Draft(kind, m.entity.id, roles, status, date, m.start, added=m.end == 0)
            d.judgements = self._judgements(m)
            if kind is Kind.SIGNING:
                before = [
                    t
                    for t in targets
                    if t.entity.kind == "event" and t.start <= m.start and t is not m
                ]
                if before:
                    d.at_event = before[-1].entity.id
            drafts.append(d)
        return drafts

    def _judgements(self, m: Mention) -> list[str]:
        """Reasons of the links.yaml entries that made ``m`` (a mapped name, an added target)."""
        if m.end == 0:
            return [k.reason for k in self.links if k.action == "add" and k.entity == m.entity.id]
        said = compact(fold(self.body[m.start : m.end]))[0]
        return [
            k.reason
            for k in self.links
            if k.action == "map"
            and k.entity == m.entity.id
            and k.text
            and compact(fold(k.text))[0] == said
        ]

    def _outside_mentions(self) -> str:
        chars = list(self.body)
        for m in self.all_mentions:
            for k in range(m.start, m.end):
                chars[k] = " "
        return "".join(chars)

    def _hosts(self, pos: int) -> bool:
        clause = _clause_bounds(self.body, pos)
        text = self.body[clause[0] : clause[1]]
        host = _HOST_RE.search(text)
        attend = _ATTEND_RE.search(text)
        return host is not None and (attend is None or attend.start() > host.start())

    def _decorate(self, drafts: list[_Draft]) -> None:
        places = [
            m for m in self.of_kind("place") if m.start > 0 and self.body[m.start - 1] in _LOCATIVE
        ]
        people = [m.entity.id for m in self.of_kind("person")]
        partners = [
            m.entity.id
            for m in self.of_kind("organization")
            if self.body[max(m.start - 1, 0) : m.start] == "與"
            and self.body[m.end : m.end + 2] == "簽署"
        ]
        for d in drafts:
            if d.kind is Kind.MEMBERSHIP:
                continue
            d.locations = sorted({p.entity.id for p in places if d.added or p.start < d.position})
            cps = [*people, *partners]
            if d.kind is Kind.VISIT:
                cps += [m.entity.id for m in self.of_kind("organization")]
            d.counterparts = sorted(set(cps))
        # the people a statement names as counterparts are part of what it rests on
        named = {c for d in drafts for c in d.counterparts}
        self.placed += [(m.start, m.end) for m in self.mentions if m.entity.id in named]

    def warnings(self) -> list[UnresolvedMention]:
        covered = [(m.start, m.end) for m in self.all_mentions] + self.ignored_spans
        covered += [(m.start(), m.end()) for m in _COP_RE.finditer(self.body)]
        out: list[UnresolvedMention] = []

        def resolved(i: int, j: int) -> bool:
            return any(a < j and i < b for a, b in covered)

        for what, rx in (
            ("acronym", _ACRONYM_RE),
            ("quoted name", _QUOTED_RE),
            ("bracketed name", _BRACKETED_RE),
        ):
            for m in rx.finditer(self.body):
                i, j = m.span(1) if m.groups() else m.span()
                if not resolved(i, j):
                    out.append(
                        UnresolvedMention(self.record.ref, self.record.line_start, m.group(0), what)
                    )
        return out


def _statement_ids(city: str, drafts: list[_Draft]) -> list[str]:
    out = []
    for d in drafts:
        sid = f"{city}--{d.target}"
        if d.status is not Status.DONE:
            sid += f"--{d.status.value}"
        out.append(sid)
    return out


def link_document(doc: Document, catalog: Catalog, links: Links) -> Linked:
    """Link every record of the document to statements, in record order."""
    table = alias_table(catalog)
    period = doc.header.period
    period_end = period.end or period.start
    cities = {e.label_zh: e for e in catalog.by_kind("city")}
    excluded = tuple(k for k in links.entries if k.action == "exclude")
    clauses: list[Clause] = []
    raw: list[tuple[Record, str, list[_Draft]]] = []
    warnings: list[UnresolvedMention] = []
    for record in doc.records:
        city = cities.get(record.city) or catalog.resolve(record.city)
        if city is None or city.kind != "city":
            raise InputError(
                doc.path, record.line_start, f"city {record.city!r} is not in the catalog"
            )
        linker = _RecordLinker(
            record, city, catalog, table, links.for_record(record.ref), period_end
        )
        drafts = linker.drafts()
        warnings.extend(linker.warnings())
        found = clauses_of(
            record.ref, record.line_start, record.body, linker.placed, linker.links, linker.spans
        )
        clauses += [
            replace(c, candidates=nearest_names(c.text, table)) if c.state == "unplaced" else c
            for c in found
        ]
        raw.append((record, city.id, drafts))
    # ids: city--target[--status], plus the record when the same one comes from several records
    base_ids: dict[tuple[Kind, str], int] = {}
    for _record, city_id, drafts in raw:
        for d, sid in zip(drafts, _statement_ids(city_id, drafts), strict=True):
            base_ids[(d.kind, sid)] = base_ids.get((d.kind, sid), 0) + 1
    statements: list[Statement] = []
    by_record: dict[str, tuple[Statement, ...]] = {}
    for record, city_id, drafts in raw:
        mine = []
        for d, sid in zip(drafts, _statement_ids(city_id, drafts), strict=True):
            if base_ids[(d.kind, sid)] > 1:
                n = str(record.number) if record.part == 1 else f"p{record.part}-{record.number}"
                sid += f"--{record.column.value}-{n}"
            mine.append(
                Statement(
                    id=sid,
                    kind=d.kind,
                    city=city_id,
                    target=d.target,
                    roles=tuple(dict.fromkeys(d.roles)),
                    status=d.status,
                    date=d.date,
                    record=record.ref,
                    at_event=d.at_event,
                    locations=tuple(d.locations),
                    counterparts=tuple(d.counterparts),
                    judgements=tuple(dict.fromkeys(d.judgements)),
                )
            )
        statements.extend(mine)
        by_record[record.ref] = tuple(mine)
    return Linked(tuple(statements), tuple(warnings), excluded, by_record, Coverage(tuple(clauses)))


def link_report(doc: Document, linked: Linked) -> str:
    """Every record with the statements it yields, and the unresolved mentions."""
    out: list[str] = []
    clauses: dict[str, list[Clause]] = {}
    for c in linked.coverage.clauses:
        clauses.setdefault(c.record, []).append(c)
    for r in doc.records:
        out.append(f"{r.ref}  (line {r.line_start}) {r.text}")
        for c in clauses.get(r.ref, ()):
            if c.state == "excluded":
                out.append(f"    excluded clause {c.text!r}: {c.reason}")
            elif c.state == "unplaced":
                out.append(f"    UNPLACED {c}")
        for s in linked.by_record.get(r.ref, ()):
            when = ""
            if s.date is not None:
                end = f"/{s.date.end.lexical}" if s.date.end else ""
                when = f" {s.date.start.lexical}{end} [{s.date.verbatim}]"
            extra = ""
            if s.at_event:
                extra += f" at={s.at_event}"
            if s.locations:
                extra += f" location={','.join(s.locations)}"
            if s.counterparts:
                extra += f" counterparts={','.join(s.counterparts)}"
            out.append(
                f"    {s.kind.value:<13} {s.target} ({'/'.join(s.roles)}) "
                f"{s.status.value}{when}{extra}"
            )
    for w in linked.warnings:
        out.append(f"warning: {w}")
    counts: dict[str, int] = {}
    for s in linked.statements:
        key = f"{s.kind.value}/{s.status.value}"
        counts[key] = counts.get(key, 0) + 1
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    out.append(
        f"{len(doc.records)} records, {len(linked.statements)} statements ({summary}), "
        f"{linked.coverage.summary()}, {len(linked.warnings)} unresolved mentions"
    )
    return "\n".join(out) + "\n"
