"""Reference implementation of domain.md, written independently of the engine.

Stage: test oracle. In: a case dict (numbers as int, Decimal or "N %" strings for
shares; dates as ``datetime.date`` or ISO strings). Out: the decisions in the
shape of ``Result.to_dict()`` without explanations or policy metadata.

It is deliberately plain Python with no shared code from ``icpolicy``, so that a
differential test between the two can catch mistakes in either.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, Inexact, InvalidOperation, localcontext
from typing import Any

THRESHOLD = Decimal(100_000_000)
SHARE_FLOOR = Decimal("0.2")
SHARE_CEILING = Decimal("0.8")
WINDOW_YEARS = 5

FOREIGN_THRESHOLD = "R-FOREIGN-THRESHOLD"
NSPA_FMS = "R-NSPA-FMS"
ACCUMULATED = "R-ACCUMULATED"
NORWEGIAN_FOREIGN_PARTS = "R-NORWEGIAN-SUPPLIER-FOREIGN-PARTS"
FOA_EXCEPTION = "E-FOA"

CASE_DECISIONS = (
    "ica_required",
    "obligation_nok",
    "total_credit_nok",
    "pending_credit_nok",
    "remaining_obligation_nok",
    "obligation_fulfilled",
)
PROJECT_DECISIONS = ("status", "credited_share", "credit_nok")

_PERCENT = re.compile(r"^\s*([+-]?[0-9]+(?:\.[0-9]+)?)\s*%\s*$")
_ZERO = Decimal(0)
_ONE = Decimal(1)


class ReferenceInputError(ValueError):
    """The case is not valid input for domain.md."""


def to_decimal(value: Any, where: str) -> Decimal:
    """An exact Decimal from an int, a Decimal or a decimal string; floats are refused."""
    # bool is an int subclass; True as a money amount is a bug in the caller.
    if isinstance(value, bool):
        raise ReferenceInputError(f"{where}: expected a number, got {value!r}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ReferenceInputError(f"{where}: not a finite number: {value!r}")
        return value
    if isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise ReferenceInputError(f"{where}: not a decimal number: {value!r}") from None
        if not result.is_finite():
            raise ReferenceInputError(f"{where}: not a finite number: {value!r}")
        return result
    # Floats are refused outright: the spec forbids binary floats anywhere.
    raise ReferenceInputError(f"{where}: expected int, Decimal or string, got {value!r}")


def to_share(value: Any, where: str) -> Decimal:
    """A share written 0.85 or "85 %"."""
    if isinstance(value, str):
        match = _PERCENT.match(value)
        if match:
            return Decimal(match.group(1)) / 100
    return to_decimal(value, where)


def to_date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ReferenceInputError(f"{where}: not an ISO date: {value!r}") from None
    raise ReferenceInputError(f"{where}: expected a date, got {value!r}")


def years_before(day: dt.date, years: int) -> dt.date:
    """Same month and day `years` earlier; Feb 29 becomes Feb 28 (team decision)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _require(mapping: dict, key: str, where: str) -> Any:
    if not isinstance(mapping, dict) or key not in mapping:
        raise ReferenceInputError(f"{where}.{key}: required")
    return mapping[key]


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ReferenceInputError(f"{where}: expected true or false, got {value!r}")
    return value


def _decision(value: Any, rules: list[str]) -> dict:
    return {"value": value, "rules": list(rules)}


def _ica_triggers(case: dict) -> list[str]:
    """Every trigger of the ICA requirement that fires, in the team's fixed order."""
    procurement = _require(case, "procurement", "case")
    supplier = case.get("supplier") or {}
    case_date = to_date(_require(case, "date", "case"), "date")

    value = to_decimal(_require(procurement, "value_nok", "procurement"), "procurement.value_nok")
    if value < 0:
        raise ReferenceInputError("procurement.value_nok: must be >= 0")
    channel = procurement.get("channel", "direct")
    only_for_norway = _bool(procurement.get("only_for_norway", True), "procurement.only_for_norway")
    expected = to_decimal(
        procurement.get("expected_accumulated_value_nok", 0),
        "procurement.expected_accumulated_value_nok",
    )
    country = supplier.get("country")
    foreign_produced = to_decimal(
        supplier.get("foreign_produced_value_nok", 0), "supplier.foreign_produced_value_nok"
    )

    foreign = country != "NO"
    # An NSPA/FMS procurement shared with other nations is outside every foreign rule.
    in_reach = foreign and (channel == "direct" or only_for_norway)

    # The 5-year window is (case date - 5 years, case date]; exactly 5 years back is outside.
    window_start = years_before(case_date, WINDOW_YEARS)
    related_sum = _ZERO
    for i, contract in enumerate(procurement.get("related_contracts") or []):
        where = f"procurement.related_contracts[{i}]"
        contract_date = to_date(_require(contract, "date", where), f"{where}.date")
        contract_value = to_decimal(_require(contract, "value_nok", where), f"{where}.value_nok")
        if window_start < contract_date <= case_date:
            related_sum += contract_value

    fired = []
    if foreign and channel == "direct" and value > THRESHOLD:
        fired.append(FOREIGN_THRESHOLD)
    if foreign and channel in ("NSPA", "FMS") and only_for_norway and value > THRESHOLD:
        fired.append(NSPA_FMS)
    # R-ACCUMULATED only covers procurements not already over the threshold on their own.
    if (
        in_reach
        and value <= THRESHOLD
        and (expected > THRESHOLD or value + related_sum > THRESHOLD)
    ):
        fired.append(ACCUMULATED)
    if country == "NO" and foreign_produced > THRESHOLD:
        fired.append(NORWEGIAN_FOREIGN_PARTS)
    return fired


def _project_decisions(project: dict, where: str) -> dict:
    value = to_decimal(_require(project, "value_nok", where), f"{where}.value_nok")
    share = to_share(_require(project, "norwegian_share", where), f"{where}.norwegian_share")
    basis = _require(project, "valuation_basis", where)
    factor = to_decimal(project.get("factor", 1), f"{where}.factor")
    increase = to_decimal(project.get("increase_value_nok", 0), f"{where}.increase_value_nok")
    continuation = _bool(
        project.get("continuation_of_existing", False), f"{where}.continuation_of_existing"
    )

    def flag(name: str) -> bool:
        return _bool(_require(project, name, where), f"{where}.{name}")

    failing = []
    if not flag("partner_in_norway"):
        failing.append("P-PARTNER")
    if not flag("initiated_by_supplier"):
        failing.append("P-CAUSALITY")
    if not (flag("supports_armed_forces_needs") and flag("in_priority_technology_area")):
        failing.append("P-NEEDS")
    if continuation and increase == 0:
        failing.append("P-CONTINUATION")

    if failing:
        status = _decision("not_approvable", failing)
    elif continuation:
        status = _decision("needs_review", ["P-CONTINUATION"])
    else:
        status = _decision("approvable", [])

    # Below 20 % nothing is credited, for every basis; above 80 % only production rounds up.
    if share < SHARE_FLOOR:
        credited = _ZERO
    elif basis == "production" and share > SHARE_CEILING:
        credited = _ONE
    else:
        credited = share

    if status["value"] == "not_approvable":
        credit = _decision(_ZERO, [])
    else:
        base = increase if continuation else value
        credit = _decision(base * credited * factor, ["P-FACTOR"])

    return {
        "status": status,
        "credited_share": _decision(credited, ["P-SHARE"]),
        "credit_nok": credit,
    }


def evaluate_reference(case: dict) -> dict:
    """Evaluate `case` by domain.md and the team's fixed interpretations."""
    with localcontext() as ctx:
        ctx.prec = 60
        # Any rounding would make the oracle silently inexact; fail loudly instead.
        ctx.traps[Inexact] = True
        return _evaluate(case)


def _evaluate(case: dict) -> dict:
    case_id = _require(case, "id", "case")
    procurement = _require(case, "procurement", "case")
    supplier = case.get("supplier") or {}
    agreement = case.get("agreement") or {}

    fired = _ica_triggers(case)
    # E-FOA overrides every trigger and is reported even when none fired (team decision).
    if procurement.get("regulation") == "FOA":
        ica = _decision(False, [FOA_EXCEPTION])
    else:
        ica = _decision(bool(fired), fired)

    ratio = to_share(agreement.get("obligation_ratio", 1), "agreement.obligation_ratio")
    if not (_ZERO < ratio <= _ONE):
        raise ReferenceInputError(f"agreement.obligation_ratio: must be in (0, 1], got {ratio}")

    if ica["value"]:
        if supplier.get("country") == "NO":
            base = to_decimal(
                supplier.get("foreign_produced_value_nok", 0), "supplier.foreign_produced_value_nok"
            )
        else:
            base = to_decimal(procurement["value_nok"], "procurement.value_nok")
        obligation = _decision(base * ratio, ["R-OBLIGATION"])
    else:
        obligation = _decision(_ZERO, [])

    projects = []
    seen_ids = set()
    for i, project in enumerate(case.get("projects") or []):
        where = f"projects[{i}]"
        project_id = _require(project, "id", where)
        if project_id in seen_ids:
            raise ReferenceInputError(f"{where}.id: duplicate project id {project_id!r}")
        seen_ids.add(project_id)
        projects.append({"id": project_id, "decisions": _project_decisions(project, where)})

    def credit_sum(status: str) -> Decimal:
        return sum(
            (
                p["decisions"]["credit_nok"]["value"]
                for p in projects
                if p["decisions"]["status"]["value"] == status
            ),
            _ZERO,
        )

    total = credit_sum("approvable")
    pending = credit_sum("needs_review")
    obligation_value = obligation["value"]
    remaining = max(_ZERO, obligation_value - total)
    fulfilled = ica["value"] and total >= obligation_value

    return {
        "case": case_id,
        "decisions": {
            "ica_required": ica,
            "obligation_nok": obligation,
            "total_credit_nok": _decision(total, []),
            "pending_credit_nok": _decision(pending, []),
            "remaining_obligation_nok": _decision(remaining, []),
            "obligation_fulfilled": _decision(fulfilled, []),
        },
        "projects": projects,
    }
