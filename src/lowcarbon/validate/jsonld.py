"""JSON-LD that would make rdflib fetch from the network is refused before it is parsed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from lowcarbon.errors import ValidationInputError

__all__ = ["MAX_JSON_DEPTH", "check_jsonld"]

#: Deepest JSON-LD nesting ``validate FILE`` accepts.
MAX_JSON_DEPTH = 64


def check_jsonld(name: str, text: str) -> None:
    """Reject JSON-LD that rdflib would resolve over the network, before it parses it."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationInputError(name, exc.lineno, f"not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise ValidationInputError(
            name, None, f"JSON nested too deeply; at most {MAX_JSON_DEPTH} levels are read"
        ) from None
    except ValueError as exc:  # an integer of more than 4300 digits
        raise ValidationInputError(
            name, None, f"not valid JSON: {str(exc).split(';')[0]}"
        ) from None
    depth = _json_depth(document)
    if depth > MAX_JSON_DEPTH:
        raise ValidationInputError(
            name, None, f"JSON nested {depth} deep; at most {MAX_JSON_DEPTH} is read"
        )
    for key, value in _json_items(document):
        if key == "@import":
            raise ValidationInputError(
                name, None, f"JSON-LD @import {value!r} is not allowed (nothing is fetched)"
            )
        if key == "@context":
            contexts = value if isinstance(value, list) else [value]
            for context in contexts:
                if isinstance(context, str):
                    raise ValidationInputError(
                        name,
                        None,
                        f"remote JSON-LD @context {context!r} is not allowed "
                        "(nothing is fetched); embed the context object instead",
                    )


def _json_depth(value: Any) -> int:
    deepest = 0
    stack = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, dict | list):
            deepest = max(deepest, depth)
            items = current.values() if isinstance(current, dict) else current
            stack.extend((item, depth + 1) for item in items)
    return deepest


def _json_items(value: Any) -> Iterator[tuple[str, Any]]:
    """Every (key, value) pair of every object nested in a JSON value."""
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            for key, item in current.items():
                yield key, item
                stack.append(item)
        elif isinstance(current, list):
            stack.extend(current)
