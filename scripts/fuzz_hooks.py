"""Schemathesis hooks for scripts/fuzz-api.sh: how to make values of the formats
Trappa's OpenAPI document names beyond JSON Schema's own.

- `personnummer`: a Swedish personal identity number with a correct check digit (Luhn
over the ten digits YYMMDDNNN), born 1930-2005 so that the patient is an adult. With
it, the fuzzer's new patients are accepted, and it follows the document's links from
them into every operation on a patient.
"""
import datetime
import os

import schemathesis
from hypothesis import strategies as st


def _check_digit(nine: str) -> str:
    total = 0
    for i, c in enumerate(nine):
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d // 10 + d % 10
    return str((10 - total % 10) % 10)


@st.composite
def _personnummer(draw):
    born = draw(st.dates(datetime.date(1930, 1, 1), datetime.date(2005, 12, 31)))
    serial = draw(st.integers(1, 999))
    nine = f"{born:%y%m%d}{serial:03d}"
    return f"{born:%Y%m%d}-{serial:03d}{_check_digit(nine)}"


schemathesis.openapi.format("personnummer", _personnummer())

# `vardcentral-id`: the id of one of the region's vårdcentraler, read by the script
# from GET /api/v1/units into the file TRAPPA_FUZZ_UNITS names (a random uuid would
# name no unit, and the patient would rightly be refused).
with open(os.environ["TRAPPA_FUZZ_UNITS"], encoding="utf-8") as _units:
    _unit_ids = [line.strip() for line in _units if line.strip()]
schemathesis.openapi.format("vardcentral-id", st.sampled_from(_unit_ids))
