"""Hypothesis over every parser of outside input (the short CI profile; benchmarks/fuzz.py runs 10,000 cases each).

A case is a target's seed mutated by a hypothesis-chosen random stream
(tests/fuzz/targets.py); the property is that the parser either accepts it
or refuses it cleanly (``InputError`` / ``Unknown``), never raises anything
else.  ``AUDITOR_FUZZ_EXAMPLES`` raises the number of examples per target.
"""

from __future__ import annotations

import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.targets import targets

TARGETS = targets()
EXAMPLES = int(os.environ.get("AUDITOR_FUZZ_EXAMPLES", "25"))


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_parser_accepts_or_refuses_cleanly(name):
    target = TARGETS[name]

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.randoms(use_true_random=False))
    def check(rng: random.Random):
        assert target.run(target.case(rng)) in ("ok", "rejected")

    check()
