"""Synthetic project roots of the real one's shape, to test and measure the toolkit at scale."""

from __future__ import annotations

from lowcarbon.synth.items import Expect
from lowcarbon.synth.root import (
    MAX_CITIES,
    MAX_ITEMS_PER_CITY,
    MAX_SEED,
    SynthError,
    SynthRoot,
    check_arguments,
    check_out,
    generate_root,
    synthesize,
)

__all__ = [
    "MAX_CITIES",
    "MAX_ITEMS_PER_CITY",
    "MAX_SEED",
    "Expect",
    "SynthError",
    "SynthRoot",
    "check_arguments",
    "check_out",
    "generate_root",
    "synthesize",
]
