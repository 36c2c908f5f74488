"""Generators of valid case documents, biased to the boundaries of domain.md.

Stage: test data. Out: case dicts (numbers as int, Decimal or "N %" strings; dates
as ISO strings), either from hypothesis (`case_documents()`) or deterministically
from a seed (`generate_cases`, `cases_as_jsonl`) for CLI runs.

One builder serves both: it asks a small "chooser" for every random choice, and the
chooser is backed either by hypothesis' `draw` (so failures shrink) or by
`random.Random(seed)`.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Protocol

from hypothesis import strategies as st

THRESHOLD = Decimal(100_000_000)
# Case dates are kept in a range the bundled policy is assumed to be in force for.
MIN_CASE_DATE = dt.date(2026, 1, 1)
MAX_CASE_DATE = dt.date(2034, 12, 31)
# Feb 29 (5 years back is Feb 28) and the days around Feb 29 five years later.
SPECIAL_CASE_DATES = (
    dt.date(2028, 2, 29),
    dt.date(2032, 2, 29),
    dt.date(2029, 2, 28),
    dt.date(2029, 3, 1),
    dt.date(2033, 2, 28),
    dt.date(2033, 3, 1),
)

COUNTRIES = ("NO", "US", "DE", "SE")
REGULATIONS = ("RAF", "FOSA", "FOA")
CHANNELS = ("direct", "NSPA", "FMS")
KINDS = (
    "technology_cooperation",
    "market_access",
    "rnd_cooperation",
    "materiel_procurement",
    "technology_transfer",
)
BOUNDARY_MONEY: tuple[int | Decimal, ...] = (
    100_000_000,
    Decimal("100000000"),
    Decimal("100000000.00"),
    Decimal("100000000.01"),
    Decimal("99999999.99"),
)
OTHER_MONEY: tuple[int | Decimal, ...] = (
    0,
    1,
    Decimal("0.01"),
    50_000_000,
    60_000_000,
    150_000_000,
    Decimal("12345678.90"),
    Decimal("250000000.5"),
)
SHARES = tuple(
    Decimal(s)
    for s in (
        "0.2", "0.8", "0.2001", "0.1999", "0.8001", "0.7999",
        "0.21", "0.19", "0.81", "0.79", "0", "1", "0.5", "0.85", "0.20", "0.800",
    )
)  # fmt: skip
RATIOS: tuple[int | Decimal | str, ...] = (
    1,
    Decimal("1"),
    Decimal("1.0"),
    Decimal("0.5"),
    Decimal("0.0001"),
    Decimal("0.85"),
    "100 %",
    "85 %",
    "0.01 %",
    "50.5 %",
)
FACTORS: tuple[int | Decimal, ...] = (1, Decimal("0.5"), 2, Decimal("1.5"))


class Chooser(Protocol):
    def choice(self, options: Sequence[Any]) -> Any: ...
    def integer(self, low: int, high: int) -> int: ...


class _DrawChooser:
    def __init__(self, draw: Any) -> None:
        self._draw = draw

    def choice(self, options: Sequence[Any]) -> Any:
        return self._draw(st.sampled_from(options))

    def integer(self, low: int, high: int) -> int:
        return self._draw(st.integers(low, high))


class _RandomChooser:
    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def choice(self, options: Sequence[Any]) -> Any:
        return options[self._rng.randrange(len(options))]

    def integer(self, low: int, high: int) -> int:
        return self._rng.randint(low, high)


def _chance(ch: Chooser, numerator: int, denominator: int) -> bool:
    # Written so that hypothesis shrinks towards False (integer 0 is the minimal draw).
    return ch.integer(0, denominator - 1) >= denominator - numerator


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _cents(n: int) -> Decimal:
    return Decimal(f"{n // 100}.{n % 100:02d}")


def _money(ch: Chooser) -> int | Decimal:
    kind = ch.integer(0, 9)
    if kind <= 4:
        return ch.choice(BOUNDARY_MONEY)
    if kind <= 6:
        return ch.choice(OTHER_MONEY)
    if kind <= 8:
        return ch.integer(0, 300_000_000)
    return _cents(ch.integer(0, 30_000_000_000))


def _share(ch: Chooser) -> int | Decimal | str:
    share = ch.choice(SHARES) if _chance(ch, 3, 4) else Decimal(ch.integer(0, 10_000)) / 10_000
    form = ch.integer(0, 2)
    if form == 1:
        return f"{share * 100:f} %"
    if form == 2 and share == share.to_integral_value():
        return int(share)
    return share


def _case_date(ch: Chooser) -> dt.date:
    if _chance(ch, 1, 3):
        return ch.choice(SPECIAL_CASE_DATES)
    return MIN_CASE_DATE + dt.timedelta(days=ch.integer(0, (MAX_CASE_DATE - MIN_CASE_DATE).days))


def _contract_date(ch: Chooser, case_date: dt.date) -> dt.date:
    edge = _years_before(case_date, 5)
    one = dt.timedelta(days=1)
    kind = ch.integer(0, 6)
    if kind == 0:
        return edge
    if kind == 1:
        return edge + one
    if kind == 2:
        return edge - one
    if kind == 3:
        return case_date
    if kind == 4:
        return case_date + one
    return case_date - dt.timedelta(days=ch.integer(0, 7 * 366))


def _related_contracts(ch: Chooser, case_date: dt.date, value: int | Decimal) -> list[dict]:
    contracts = [
        {"date": _contract_date(ch, case_date), "value_nok": _money(ch)}
        for _ in range(ch.integer(0, 3))
    ]
    # Often add one contract that brings the in-window sum exactly to a boundary.
    if _chance(ch, 1, 2):
        edge = _years_before(case_date, 5)
        in_window = sum(
            (Decimal(c["value_nok"]) for c in contracts if edge < c["date"] <= case_date),
            Decimal(0),
        )
        target = ch.choice((THRESHOLD, THRESHOLD + Decimal("0.01"), THRESHOLD - Decimal("0.01")))
        balance = target - Decimal(value) - in_window
        if balance >= 0:
            contracts.insert(
                ch.integer(0, len(contracts)),
                {"date": _contract_date(ch, case_date), "value_nok": balance},
            )
    return [{"date": c["date"].isoformat(), "value_nok": c["value_nok"]} for c in contracts]


def _project(ch: Chooser, project_id: str) -> dict:
    project: dict[str, Any] = {
        "id": project_id,
        "kind": ch.choice(KINDS),
        "value_nok": _money(ch),
        "valuation_basis": ch.choice(("production", "other")),
        "norwegian_share": _share(ch),
    }
    # Each check passes 7 times in 8, so approvable projects stay common.
    for flag in (
        "partner_in_norway",
        "initiated_by_supplier",
        "supports_armed_forces_needs",
        "in_priority_technology_area",
    ):
        project[flag] = _chance(ch, 7, 8)
    continuation = ch.integer(0, 3)
    if continuation >= 2:
        project["continuation_of_existing"] = continuation == 3
    increase = ch.integer(0, 3)
    if increase == 1:
        project["increase_value_nok"] = 0
    elif increase >= 2:
        project["increase_value_nok"] = _money(ch)
    if _chance(ch, 2, 3):
        project["factor"] = ch.choice(FACTORS)
    return project


def build_case(ch: Chooser, case_id: str) -> dict:
    """One valid case document, every random choice asked of `ch`."""
    case_date = _case_date(ch)
    value = _money(ch)
    procurement: dict[str, Any] = {
        "value_nok": value,
        "regulation": ch.choice(REGULATIONS),
        "channel": ch.choice(CHANNELS),
    }
    only = ch.integer(0, 2)
    if only:
        procurement["only_for_norway"] = only == 1
    if _chance(ch, 1, 3):
        procurement["expected_accumulated_value_nok"] = _money(ch)
    if _chance(ch, 2, 3):
        procurement["related_contracts"] = _related_contracts(ch, case_date, value)

    country = ch.choice(COUNTRIES)
    supplier: dict[str, Any] = {"name": f"Supplier {country}", "country": country}
    if _chance(ch, 3, 4 if country == "NO" else 8):
        supplier["foreign_produced_value_nok"] = _money(ch)

    case: dict[str, Any] = {
        "id": case_id,
        "date": case_date.isoformat(),
        "procurement": procurement,
        "supplier": supplier,
    }
    agreement = ch.integer(0, 3)
    if agreement == 1:
        case["agreement"] = {}
    elif agreement >= 2:
        ratio = ch.choice(RATIOS) if _chance(ch, 2, 3) else Decimal(ch.integer(1, 10_000)) / 10_000
        case["agreement"] = {"obligation_ratio": ratio}
    # 0: no "projects" key; 1: an empty list; 2..5: one to four projects.
    count = ch.integer(0, 5)
    if count:
        case["projects"] = [_project(ch, f"P{i}") for i in range(1, count)]
    return case


@st.composite
def case_documents(draw: Any, case_id: str = "CASE-H") -> dict:
    """Hypothesis strategy for valid case documents."""
    return build_case(_DrawChooser(draw), case_id)


def generate_cases(n: int, seed: int) -> list[dict]:
    """`n` cases, the same for the same seed; ids CASE-00000, CASE-00001, ..."""
    chooser = _RandomChooser(random.Random(seed))
    return [build_case(chooser, f"CASE-{i:05d}") for i in range(n)]


def dumps_json(value: Any) -> str:
    """JSON with Decimals written as numbers with their exact digits (no floats)."""
    if value is None or isinstance(value, (bool, str)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not JSON-serialisable: {value!r}")
        # Fixed-point, so 1E+8 is written 100000000 and every reader sees the same digits.
        return format(value, "f")
    if isinstance(value, dt.date):
        return json.dumps(value.isoformat())
    if isinstance(value, dict):
        items = (
            f"{json.dumps(str(k), ensure_ascii=False)}: {dumps_json(v)}" for k, v in value.items()
        )
        return "{" + ", ".join(items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(dumps_json(v) for v in value) + "]"
    raise TypeError(f"not JSON-serialisable: {value!r}")


def cases_as_jsonl(n: int, seed: int) -> str:
    """`generate_cases(n, seed)` as JSON Lines text, one case per line."""
    return "".join(dumps_json(case) + "\n" for case in generate_cases(n, seed))
