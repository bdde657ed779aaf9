"""The one strict YAML reader of the curated files (data/entities/*.yaml, data/links.yaml).

YAML can do far more than these files need, and every extra is a way in: anchors and aliases
(a 150 KB catalog once expanded to 2 M facts), tags (``!!python/object``, ``!!binary``, once
silently ignored), duplicate keys (one silently won and a statement disappeared), nesting
deep enough to exhaust the parser's recursion. :func:`compose` refuses all of them, and
carriage returns and characters XML 1.0 cannot carry, each with file, line and column, in one
linear pass over the event stream before any node tree is built.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import yaml

from lowcarbon.errors import InputError

__all__ = ["MAX_DEPTH", "MAX_SCALAR_CHARS", "MAX_YAML_BYTES", "compose", "read_file"]

#: Largest curated file read, in bytes (the largest today is about 60 KB; the cities of a
#: synthetic root of 20,000 cities are about 4.5 MB). The pass over the event stream is linear.
MAX_YAML_BYTES = 16 * 1024 * 1024
#: Deepest nesting of mappings and lists (the catalog needs 4).
MAX_DEPTH = 16
#: Longest string value, in characters (the longest note today is under 1,000).
MAX_SCALAR_CHARS = 10_000
#: libyaml when PyYAML has it (several times faster), the pure-Python loader otherwise.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def _position(text: str, at: int) -> tuple[int, int]:
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def compose(data: bytes, name: str, error: type[InputError] = InputError) -> yaml.Node | None:
    """The YAML node tree of ``data`` (``None`` for an empty file), or ``error`` with file:line.

    Refused: more than :data:`MAX_YAML_BYTES`, text that is not UTF-8, a byte-order mark, CR
    or CRLF line ends, NEL/U+2028/U+2029 (YAML line ends), control characters, anchors,
    aliases, explicit tags, nesting past :data:`MAX_DEPTH`, strings longer than
    :data:`MAX_SCALAR_CHARS`, duplicate keys.
    """

    def fail(message: str, line: int | None, column: int | None = None) -> InputError:
        return error(name, line, message, column=column)

    if len(data) > MAX_YAML_BYTES:
        raise fail(f"{len(data)} bytes; at most {MAX_YAML_BYTES} are read", None)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise fail("not valid UTF-8; expected UTF-8 text", line) from None
    if text.startswith("\ufeff"):
        raise fail("unexpected byte-order mark; expected plain UTF-8", 1, 1)
    cr = text.find("\r")
    if cr >= 0:
        what = "CRLF line endings" if text.startswith("\r\n", cr) else "a carriage return"
        raise fail(f"{what}; expected LF line endings only", *_position(text, cr))
    bad = _NOT_XML.search(text)
    if bad:
        raise fail(
            f"control character U+{ord(bad.group()):04X}, which XML 1.0 cannot carry",
            *_position(text, bad.start()),
        )
    breaks = _LINE_BREAKS.search(text)
    if breaks:  # YAML counts these as line ends, we do not: refuse, so both count alike
        raise fail(
            f"line separator U+{ord(breaks.group()):04X}, which YAML reads as a line end; "
            "expected LF line endings only",
            *_position(text, breaks.start()),
        )
    _scan(text, fail)
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:  # pragma: no cover - _scan parsed the same text
        raise fail(f"not valid YAML: {exc}", None) from None
    if root is not None:
        _check_keys(root, fail)
    return root


def _scan(text: str, fail: Callable[..., InputError]) -> None:
    """One pass over the events: anchors, aliases, tags, depth and string length."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            mark = event.start_mark
            where = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
            if isinstance(event, yaml.AliasEvent):
                raise fail(f"alias *{event.anchor} is not accepted: write the value out", *where)
            if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
                raise fail(f"anchor &{event.anchor} is not accepted: write each value out", *where)
            tag = getattr(event, "tag", None)
            if isinstance(event, yaml.NodeEvent) and tag is not None:
                raise fail(f"tag {tag} is not accepted: values are plain strings", *where)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise fail(f"nested deeper than {MAX_DEPTH} levels", *where)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.ScalarEvent) and len(event.value) > MAX_SCALAR_CHARS:
                raise fail(f"a value longer than {MAX_SCALAR_CHARS} characters", *where)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        column = mark.column + 1 if mark is not None else None
        if "maximum nesting depth" in str(exc.problem):  # libyaml's own limit, met first
            raise fail(f"nested deeper than {MAX_DEPTH} levels", line, column) from None
        raise fail(f"not valid YAML: {exc.problem or exc.context}", line, column) from None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML marks its errors
        raise fail(f"not valid YAML: {exc}", 1) from None


def _check_keys(root: yaml.Node, fail: Callable[..., InputError]) -> None:
    """Refuse a key that appears twice in one mapping (YAML would keep the last silently)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: dict[object, int] = {}
            for key, value in node.value:
                k = key.value if isinstance(key, yaml.ScalarNode) else id(key)
                line = key.start_mark.line + 1
                if k in seen:
                    raise fail(f"duplicate key {k!r} (first on line {seen[k]})", line)
                seen[k] = line
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def read_file(path: Path, error: type[InputError] = InputError) -> yaml.Node | None:
    """:func:`compose` of the regular file at ``path``, read no further than the size limit."""
    name = str(path)
    try:
        if not path.is_file():
            raise error(name, None, "not a regular file")
        with path.open("rb") as fh:
            data = fh.read(MAX_YAML_BYTES + 1)
    except OSError as exc:
        raise error(name, None, f"cannot read file: {exc.strerror}") from exc
    return compose(data, name, error)
