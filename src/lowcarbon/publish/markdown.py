"""The small Markdown of the build's own reports (network/network.md) as blocks for a template.

Not a Markdown engine: headings, paragraphs, lists, pipe tables, images on a line of their own
and `code` spans, which is all the reports write. The blocks hold plain text; the template
escapes it, so nothing in a report can become markup.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["blocks"]

_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")


_CJK = re.compile(r"[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]")
_LATIN = re.compile(r"[A-Za-z]")


def lang_of(text: str) -> str | None:
    """``zh-Hant`` for text mostly in Chinese characters (the reports' Chinese halves)."""
    cjk, latin = len(_CJK.findall(text)), len(_LATIN.findall(text))
    return "zh-Hant" if cjk > latin else None


def spans(text: str) -> list[dict[str, Any]]:
    """Text split into plain and ``code`` spans, each with its language where it is Chinese.

    ``English / 中文`` (the reports' bilingual headings and captions) gives each half its own.
    """
    out: list[dict[str, Any]] = []
    for i, part in enumerate(text.split("`")):
        if i % 2:
            out.append({"text": part, "code": True, "lang": None})
            continue
        halves = part.split(" / ")
        for j, half in enumerate(halves):
            if half:
                out.append({"text": half, "code": False, "lang": lang_of(half)})
            if j < len(halves) - 1:
                out.append({"text": " / ", "code": False, "lang": None})
    return out


def blocks(md: str) -> list[dict[str, Any]]:
    """Blocks of ``md``: ``h`` (level, spans), ``p``, ``ul`` (items), ``table`` (rows), ``img``."""
    out: list[dict[str, Any]] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            out.append({"kind": "p", "spans": spans(" ".join(para))})
            para.clear()

    for line in md.splitlines():
        s = line.strip()
        if not s:
            flush()
        elif m := re.fullmatch(r"(#{1,6})\s+(.*)", s):
            flush()
            out.append({"kind": "h", "level": len(m.group(1)), "spans": spans(m.group(2))})
        elif s.startswith("- "):
            flush()
            if not out or out[-1]["kind"] != "ul":
                out.append({"kind": "ul", "items": []})
            out[-1]["items"].append(spans(s[2:]))
        elif s.startswith("|"):
            flush()
            cells = [c.strip() for c in s.strip("|").split("|")]
            if all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                continue  # the heading rule
            if not out or out[-1]["kind"] != "table":
                out.append({"kind": "table", "head": cells, "rows": []})
            else:
                out[-1]["rows"].append(cells)
        elif m := _IMAGE.fullmatch(s):
            flush()
            out.append({"kind": "img", "alt": m.group(1), "src": m.group(2)})
        else:
            para.append(s)
    flush()
    return out
