"""How to cite the dataset: the citation text and BibTeX, from the pinned release."""

from __future__ import annotations

from lowcarbon.vocab import DEFAULT_BASE, RELEASE

__all__ = ["AUTHOR", "TITLE_EN", "TITLE_ZH", "bibtex", "citation_text", "footer_release"]

AUTHOR = "lowcarbon contributors"
TITLE_EN = "Taiwan City Low-Carbon Diplomacy Knowledge Graph"
TITLE_ZH = "臺灣城市低碳外交知識圖譜"


def citation_text(base: str = DEFAULT_BASE) -> str:
    """The recommended citation, one line of plain text (APA-like, for a data set)."""
    year = RELEASE.modified[:4]
    return (
        f"{AUTHOR} ({year}). {TITLE_EN} ({TITLE_ZH}), version {RELEASE.version} "
        f"[Data set], released {RELEASE.modified}. {base}"
    )


def bibtex(base: str = DEFAULT_BASE) -> str:
    """The citation as a BibTeX ``@misc`` entry (biblatex reads ``version`` and ``date`` too)."""
    key = "lowcarbon_" + RELEASE.version.replace(".", "_")
    fields = [
        ("author", f"{{{AUTHOR}}}"),
        ("title", f"{TITLE_EN} ({TITLE_ZH})"),
        ("year", RELEASE.modified[:4]),
        ("date", RELEASE.modified),
        ("version", RELEASE.version),
        ("howpublished", f"\\url{{{base}}}"),
        ("url", base),
        ("note", "Data set, CC BY 4.0"),
    ]
    width = max(len(k) for k, _ in fields)
    body = ",\n".join(f"  {k:<{width}} = {{{v}}}" for k, v in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def footer_release() -> tuple[str, str]:
    """(en, zh-Hant) line naming the release, for every page's footer."""
    return (
        f"Version {RELEASE.version}, released {RELEASE.modified}",
        f"版本 {RELEASE.version}，{RELEASE.modified} 發布",
    )
