"""The kinds of statement the generator writes items for, as link.Kind names them."""

from __future__ import annotations

from lowcarbon.link import Kind

__all__ = ["DISCLOSURE", "HOSTING", "MEMBERSHIP", "PARTICIPATION", "SIGNING", "VISIT"]

MEMBERSHIP = Kind.MEMBERSHIP.value
SIGNING = Kind.SIGNING.value
PARTICIPATION = Kind.PARTICIPATION.value
HOSTING = Kind.HOSTING.value
VISIT = Kind.VISIT.value
DISCLOSURE = Kind.DISCLOSURE.value
