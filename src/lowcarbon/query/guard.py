r"""The safety check of a SPARQL query, and the one canonical text that every engine then runs.

A check that reads a query one way while the engine reads it another is a hole: a comment
that ends at ``\r`` for one parser and at ``\n`` for the other hid a ``SERVICE`` from the
old check. So the check does not guess how an engine will read the text. It lexes the query
itself, strictly, and writes out a canonical text that has only one reading:

- ``\uXXXX`` and ``\UXXXXXXXX`` escapes are decoded first (SPARQL processes them before
  parsing); a backslash-u that survives decoding is refused;
- line ends are ``\n`` only (``\r\n`` and ``\r`` become ``\n``); U+0085, U+2028 and
  U+2029 outside a string (comments too) are refused, since some parsers end a line there;
- comments are removed, so no engine can end one anywhere else;
- every string is rewritten with ``"`` delimiters and its quotes escaped, so a string ends
  where the check says it ends;
- outside strings, a backslash, a control character or a ``'`` inside an IRI is refused.

What the engine runs is this canonical text, and only after the check accepted it. The
check refuses ``SERVICE`` wherever an engine could read it as the keyword: as a word, glued
to another word (``SERVICESILENT``, ``?o.SERVICE``), or as the prefix of a prefixed name
(``SERVICE:x``, which pyoxigraph reads as ``SERVICE :x``). It refuses the update operations
(a query never changes the store), queries larger than :data:`MAX_QUERY_BYTES` and groups
nested deeper than :data:`MAX_NESTING`. Cost is linear in the length of the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lowcarbon.errors import QueryError, QueryTooLargeError, UnsafeQueryError

__all__ = ["MAX_NESTING", "MAX_QUERY_BYTES", "CheckedQuery", "check"]

#: Largest query accepted, in bytes of UTF-8 (HTTP 413 past it).
MAX_QUERY_BYTES = 64 * 1024
#: Deepest nesting of ``{``, ``(`` and ``[`` accepted.
MAX_NESTING = 32

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
#: Words that begin the operations of SPARQL Update: never run, always refused.
UPDATE_WORDS = frozenset(
    {"LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "INSERT", "DELETE", "WITH"}
)

_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SPACE = re.compile(r"[ \t\n]+")
_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_VAR = re.compile(r"[?$][A-Za-z0-9_\u00b7-\U0010ffff]*")
_NAME = re.compile(r"[A-Za-z0-9_.:%\-\u00b7-\U0010ffff]+")
_LINE_BREAKS = frozenset("\x85\u2028\u2029")
_ECHARS = frozenset("tbnrf\"'\\")
_OPEN, _CLOSE = frozenset("{(["), frozenset("})]")


@dataclass(frozen=True)
class CheckedQuery:
    """A query the check accepted: the canonical ``text`` to run, and what it is."""

    text: str
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    has_dataset_clause: bool  # FROM or FROM NAMED


def _decode(text: str, origin: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or code == 0:
            raise QueryError(f"{m.group(0)} is not a character", origin=origin)
        return chr(code)

    return _CODEPOINT_ESCAPE.sub(one, text)


class _Lexer:
    """One pass over the decoded text: writes the canonical text and records what it saw."""

    def __init__(self, text: str, origin: str) -> None:
        self.text = text
        self.origin = origin
        self.out: list[str] = []
        self.words: list[tuple[str, int]] = []  # bare words (no ':'), with their offset
        self.depth = 0
        self.prefixes: set[str] = {"_"}  # declared with PREFIX; _: is a blank node
        self.declaring = False  # the last word was PREFIX

    def fail(self, message: str, at: int, unsafe: bool = False) -> QueryError:
        line = self.text.count("\n", 0, at) + 1
        column = at - (self.text.rfind("\n", 0, at) + 1) + 1
        kind = UnsafeQueryError if unsafe else QueryError
        return kind(message, origin=self.origin, line=line, column=column, text=self.text)

    def run(self) -> None:
        text, i, n = self.text, 0, len(self.text)
        while i < n:
            c = text[i]
            if m := _SPACE.match(text, i):
                self.out.append(m.group())
                i = m.end()
            elif c == "#":
                end = text.find("\n", i)
                end = n if end < 0 else end
                if _LINE_BREAKS.intersection(text[i:end]):
                    at = i + next(k for k, ch in enumerate(text[i:end]) if ch in _LINE_BREAKS)
                    raise self.fail(
                        f"U+{ord(text[at]):04X} in a comment: parsers disagree on "
                        "whether it ends the line",
                        at,
                    )
                i = end  # the comment goes; its line end stays
            elif c in "\"'":
                i = self.string(i)
            elif c == "<" and (m := _IRIREF.match(text, i)):
                if "'" in m.group():
                    raise self.fail("an IRI with a ' in it is not accepted", i)
                self.out.append(m.group())
                i = m.end()
            elif c in "?$":
                m = _VAR.match(text, i)
                assert m is not None  # noqa: S101 - the pattern matches the sigil alone
                self.out.append(m.group())
                i = m.end()
            elif m := _NAME.match(text, i):
                if _LINE_BREAKS.intersection(m.group()):
                    at = i + next(k for k, ch in enumerate(m.group()) if ch in _LINE_BREAKS)
                    raise self.fail(f"U+{ord(text[at]):04X} outside a string", at)
                self.name(m.group(), i)
                self.out.append(m.group())
                i = m.end()
            elif c == "\\":
                raise self.fail("a backslash outside a string is not accepted", i)
            elif c < " " or c == "\x7f" or c in _LINE_BREAKS:
                raise self.fail(f"control character U+{ord(c):04X} outside a string", i)
            else:
                if c in _OPEN:
                    self.depth += 1
                    if self.depth > MAX_NESTING:
                        raise self.fail(f"groups are nested deeper than {MAX_NESTING}", i)
                elif c in _CLOSE:
                    self.depth -= 1
                self.out.append(c)
                i += 1

    def string(self, start: int) -> int:
        text, n = self.text, len(self.text)
        quote = text[start]
        long = text.startswith(quote * 3, start)
        i = start + (3 if long else 1)
        body: list[str] = []
        while True:
            if i >= n:
                raise self.fail("a string is not closed", start)
            c = text[i]
            if c == "\\":
                if i + 1 >= n or text[i + 1] not in _ECHARS:
                    raise self.fail(
                        "invalid escape in a string (expected one of \\t \\b "
                        "\\n \\r \\f \\\" \\' \\\\)",
                        i,
                    )
                body.append(text[i : i + 2])
                i += 2
            elif long and text.startswith(quote * 3, i):
                i += 3
                break
            elif not long and c == quote:
                i += 1
                break
            elif not long and c == "\n":
                raise self.fail(
                    'a string is not closed on its line (write \\n, or use """…""")', start
                )
            elif c in "\"'":
                body.append("\\" + c)
                i += 1
            else:
                body.append(c)
                i += 1
        delimiter = '"""' if long else '"'
        self.out.append(delimiter + "".join(body) + delimiter)
        return i

    def name(self, word: str, at: int) -> None:
        prefix, colon, local = word.partition(":")
        # An engine may end a name at a '.' and read what follows as a keyword: check each
        # piece after a dot, and the whole prefix. The first piece of a local name
        # (dcat:DataService) cannot be read apart from its prefix.
        pieces = [prefix] if colon else prefix.split(".")
        if colon:
            pieces += local.split(".")[1:]
        if any("service" in p.lower() for p in pieces):
            where = "" if word.upper() == "SERVICE" else f" (here inside {word!r})"
            raise self.fail(
                f"SERVICE is not allowed{where}: a federated query would send requests to "
                "other servers",
                at + max(word.lower().find("service"), 0),
                unsafe=True,
            )
        if not colon:
            self.words.append((word, at))
            self.declaring = word.upper() == "PREFIX"
            return
        if self.declaring:
            self.prefixes.add(prefix)
        elif prefix not in self.prefixes:
            raise self.fail(f"unknown prefix {prefix}: (declare it: PREFIX {prefix}: <…>)", at)
        self.declaring = False


def check(text: str, *, origin: str = "<query>") -> CheckedQuery:
    """Check ``text`` and return the canonical text to run, or raise a :class:`QueryError`.

    :class:`UnsafeQueryError` for ``SERVICE`` or an update, :class:`QueryTooLargeError` past
    :data:`MAX_QUERY_BYTES`; a plain :class:`QueryError` (with line and column) for text the
    check cannot read. The engine reports the remaining syntax errors.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_QUERY_BYTES:
        raise QueryTooLargeError(
            f"the query is {size} bytes; at most {MAX_QUERY_BYTES} are accepted", origin=origin
        )
    decoded = _decode(text.removeprefix("\ufeff"), origin)
    decoded = decoded.replace("\r\n", "\n").replace("\r", "\n")
    if "\\u" in decoded or "\\U" in decoded:
        lexer = _Lexer(decoded, origin)
        at = min(k for k in (decoded.find("\\u"), decoded.find("\\U")) if k >= 0)
        raise lexer.fail("an escape that writes an escape (\\u005Cu…) is not accepted", at)
    lexer = _Lexer(decoded, origin)
    lexer.run()
    form = None
    for word, at in lexer.words:
        upper = word.upper()
        if upper in UPDATE_WORDS:
            raise lexer.fail(
                f"SPARQL updates ({upper} …) are not allowed: queries are read-only", at, True
            )
        if form is None and upper not in ("BASE", "PREFIX"):
            if upper not in FORMS:
                raise lexer.fail(f"expected {', '.join(FORMS[:-1])} or DESCRIBE, not {word}", at)
            form = upper
    if form is None:
        raise QueryError("empty query", origin=origin)
    has_from = any(w.upper() == "FROM" for w, _ in lexer.words)
    return CheckedQuery("".join(lexer.out), form, has_from)
