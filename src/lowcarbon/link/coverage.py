"""No silent loss: every clause of an item that reports an action is placed or excluded.

A clause is the text between two of ``，。；``. It reports an action when it holds one of the
verbs of :data:`ACTION_RE` (加入, 簽署, 參加, 舉辦, 來訪, 揭露…). It is *placed* when a
statement rests on it (a catalog name in it became the statement's target, or an organization
named before it takes its status), *excluded* when data/links.yaml quotes it under
``exclude`` with a reason (or an ``add`` supplies the unnamed target of the item), and
*unplaced* otherwise: the build then fails, naming the item, the line, the clause and the
catalog names closest to it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from lowcarbon.catalog import Entity
from lowcarbon.link.judgments import Link
from lowcarbon.link.mentions import AliasTable
from lowcarbon.link.text import compact, fold

__all__ = ["ACTION_RE", "Clause", "Coverage", "clauses_of", "nearest_names"]

#: Verbs that report an action of the city: joining, signing, attending, hosting, visiting,
#: disclosing, applying, inviting, meeting.
ACTION_RE = re.compile(
    r"加入|成為|會員|簽署|參加|參與|出席|與會|受邀|邀請|舉辦|辦理|主辦|協辦|來訪|拜會|參訪|訪問"
    r"|接待|揭露|申請|發表"
)
_CLAUSE_RE = re.compile(r"[，。；]")
#: Verbs that only add a role or a counterpart to the statement before them (並受邀發表演說,
#: 邀請國際城市首長分享經驗): such a clause is placed by that statement when it lies in its span.
_ROLE_ONLY = re.compile(r"受邀|邀請|發表")
#: Target kinds a clause can be placed by.
_TARGET_KINDS = ("organization", "declaration", "event", "programme")


@dataclass(frozen=True)
class Clause:
    """One action clause of an item, and how it is accounted for."""

    record: str
    line: int
    start: int
    end: int
    text: str
    state: Literal["placed", "excluded", "unplaced"]
    reason: str | None = None
    #: for an unplaced clause: the closest catalog names, as ``(alias, entity id)``
    candidates: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        where = f"{self.record} (line {self.line})"
        near = ", ".join(f"{a!r} ({e})" for a, e in self.candidates)
        hint = f"; did you mean {near}?" if near else "; no catalog name is close"
        return f"{where}: no statement from the clause {self.text!r}{hint}"


@dataclass(frozen=True)
class Coverage:
    """Every action clause of the document: found, placed, excluded, unplaced."""

    clauses: tuple[Clause, ...]

    def count(self, state: str) -> int:
        """How many clauses are in ``state``."""
        return sum(1 for c in self.clauses if c.state == state)

    @property
    def unplaced(self) -> tuple[Clause, ...]:
        """The clauses no statement and no exclusion accounts for."""
        return tuple(c for c in self.clauses if c.state == "unplaced")

    def summary(self) -> str:
        """``N action clauses: P placed, E excluded, U unplaced``."""
        return (
            f"{len(self.clauses)} action clauses: {self.count('placed')} placed, "
            f"{self.count('excluded')} excluded, {self.count('unplaced')} unplaced"
        )


def _spans(body: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _CLAUSE_RE.finditer(body):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(body)))
    return [(a, b) for a, b in out if body[a:b].strip()]


def _quoted(body: str, links: Iterable[Link], action: str) -> list[tuple[int, int, Link]]:
    folded = fold(body)
    out = []
    for k in links:
        if k.action == action and k.text:
            i = folded.find(fold(k.text))
            if i >= 0:
                out.append((i, i + len(k.text), k))
    return out


def clauses_of(
    record: str,
    line: int,
    body: str,
    placed: Sequence[tuple[int, int]],
    links: Sequence[Link],
    spans: Sequence[tuple[int, int]] = (),
) -> list[Clause]:
    """The action clauses of one item.

    ``placed`` are the spans statements rest on (their names); ``spans`` reach from a
    statement's name to the next one, where a role-only clause may add to it.
    """
    excluded = _quoted(body, links, "exclude")
    added = [k for k in links if k.action == "add"]
    out = []
    for a, b in _spans(body):
        text = body[a:b]
        if not ACTION_RE.search(text):
            continue
        state: Literal["placed", "excluded", "unplaced"] = "unplaced"
        reason = None
        role_only = not ACTION_RE.search(_ROLE_ONLY.sub("", text))
        if any(a < j and i < b for i, j in placed) or (
            role_only and any(i <= a and b <= j for i, j in spans)
        ):
            state = "placed"
        else:
            hit = next((k for i, j, k in excluded if a < j and i < b), None)
            if hit is not None:
                state, reason = "excluded", hit.reason
            elif added:
                state, reason = "placed", added[0].reason
        out.append(Clause(record, line, a, b, text.strip(), state, reason))
    return out


def nearest_names(text: str, table: AliasTable, *, limit: int = 3) -> tuple[tuple[str, str], ...]:
    """Catalog names of organizations, declarations, events and programmes closest to ``text``.

    A name is close when a run of at least three of its characters, covering at least 60 % of
    it, occurs in the clause (spacing and 周/週 ignored). Never used to link: only reported.
    """
    clause = compact(fold(text))[0]
    scored: list[tuple[float, int, str, str]] = []
    for alias, entities in table.entities.items():
        kinds = [e for e in entities if e.kind in _TARGET_KINDS]
        if not kinds or len(alias) < 3:
            continue
        match = difflib.SequenceMatcher(None, alias, clause, autojunk=False).find_longest_match()
        share = match.size / len(alias)
        if match.size >= 3 and share >= 0.6:
            best: Entity = kinds[0]
            scored.append((-share, -match.size, alias, best.id))
    scored.sort()
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for _, _, alias, eid in scored:
        if eid not in seen:
            seen.add(eid)
            out.append((alias, eid))
        if len(out) == limit:
            break
    return tuple(out)
