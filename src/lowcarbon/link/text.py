"""Folding text for matching while keeping character offsets."""

from __future__ import annotations

import unicodedata

__all__ = ["compact", "fold"]

_FOLD_EXTRA = {"臺": "台", "週": "周", "～": "~", "〜": "~", "－": "-", "\u3000": " "}


class _FoldTable(dict[str, str]):
    """Each character's fold, computed on first sight (text repeats few characters)."""

    def __missing__(self, ch: str) -> str:
        n = unicodedata.normalize("NFKC", ch)
        if len(n) != 1:
            n = ch
        n = _FOLD_EXTRA.get(n, n)
        c = n.casefold()
        folded = self[ch] = c if len(c) == 1 else n
        return folded


_FOLDS = _FoldTable()


def fold(text: str) -> str:
    """Fold text for matching, one character for one character (offsets are kept).

    NFKC per character where it yields one character (full-width forms, compatibility
    ideographs such as U+FA08), 臺 to 台, 週 to 周, wave dashes to ``~``, Latin case folded.
    """
    return "".join(map(_FOLDS.__getitem__, text))


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def compact(folded: str) -> tuple[str, list[int]]:
    """``folded`` without the spaces that do not separate two Latin letters, and the offsets.

    The list gives, for each character kept, its offset in ``folded``.

    Sources and catalogs space names inconsistently (``ICLEI 20週年``, ``ICLEI20週年``,
    ``COP 15``); a space between a letter and a digit or a CJK character carries no meaning,
    while one between two Latin words does (``Resilient Cities``).
    """
    out: list[str] = []
    where: list[int] = []
    n = len(folded)
    for i, ch in enumerate(folded):
        if ch == " ":
            j = i + 1
            while j < n and folded[j] == " ":
                j += 1
            before = out[-1] if out else ""
            after = folded[j] if j < n else ""
            if not (before and after and _latin(before) and _latin(after)) or before == " ":
                continue
        out.append(ch)
        where.append(i)
    return "".join(out), where
