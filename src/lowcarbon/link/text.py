"""Folding text for matching while keeping character offsets."""

from __future__ import annotations

import unicodedata

__all__ = ["fold"]

_FOLD_EXTRA = {"臺": "台", "～": "~", "〜": "~", "－": "-", "\u3000": " "}


def fold(text: str) -> str:
    """Fold text for matching, one character for one character (offsets are kept).

    NFKC per character where it yields one character (full-width forms, compatibility
    ideographs such as U+FA08), 臺 to 台, wave dashes to ``~``, Latin case folded.
    """
    out = []
    for ch in text:
        n = unicodedata.normalize("NFKC", ch)
        if len(n) != 1:
            n = ch
        n = _FOLD_EXTRA.get(n, n)
        c = n.casefold()
        out.append(c if len(c) == 1 else n)
    return "".join(out)
