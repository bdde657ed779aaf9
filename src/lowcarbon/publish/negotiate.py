"""HTTP content negotiation and safe paths for the server: which representation, which file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote

__all__ = ["choose", "parse_accept", "segments", "within"]


def parse_accept(header: str) -> list[tuple[str, str, float]]:
    """The media ranges of an Accept header: (type, subtype, q), malformed parts left out."""
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        typ, slash, sub = fields[0].lower().partition("/")
        if not slash or not typ or not sub:
            continue
        q = 1.0
        for f in fields[1:]:
            key, _, value = f.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((typ, sub, q))
    return ranges


def choose(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer the ``Accept`` header prefers (RFC 9110 q-values; ties: the first offer).

    A missing or empty header accepts anything; ``None`` when nothing offered is acceptable.
    """
    ranges = parse_accept(accept or "*/*") or [("*", "*", 1.0)]
    best, best_q = None, 0.0
    for offer in offers:
        typ, _, sub = offer.partition("/")
        spec, q = -1, 0.0
        for t, s, rq in ranges:
            rank = 2 if (t, s) == (typ, sub) else 1 if (t, s) == (typ, "*") else 0
            if rank == 0 and (t, s) != ("*", "*"):
                continue
            if rank > spec or (rank == spec and rq > q):
                spec, q = rank, rq
        if q > best_q:
            best, best_q = offer, q
    return best


def segments(raw: str) -> list[str] | None:
    """The decoded path segments of a request path; ``None`` when any could escape a folder.

    Refused: ``.`` and ``..`` (also percent-encoded), empty segments but the last, names
    starting with a dot, backslashes and NUL.
    """
    path = unquote(raw, errors="strict") if "%" in raw else raw
    if not path.startswith("/") or "\\" in path or "\x00" in path:
        return None
    segs = path[1:].split("/")
    if segs == [""]:
        return []
    if any(not s or s.startswith(".") for s in segs[:-1]) or segs[-1].startswith("."):
        return None
    return segs  # a last empty segment (a trailing slash) names no file: 404


def within(root: Path, segs: Sequence[str]) -> Path | None:
    """The regular file ``root/segs`` if it exists and (symlinks resolved) lies under root."""
    if not segs:
        return None
    target = root.joinpath(*segs).resolve()
    if not target.is_relative_to(root.resolve()) or not target.is_file():
        return None
    return target
