"""The questions: which unknown facts to ask, most settling first.

The facts asked are those the open decisions depend on, nothing else. Each is
probed: the case is decided again with the fact set to a few telling values (each
choice of a small domain; the policy's thresholds and their neighbours; an empty
list and a list with one large item), and ranked by how many open decisions it
decides whatever its value, then by how many it decides on average.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..dates import parse_iso_date
from ..lang import types as T
from .labels import field_text, rule_text
from .reader import generic_path

MAX_PROBED = 16  # facts probed one by one; any further ones follow unranked


@dataclass(frozen=True)
class Question:
    fact: str  # "procurement.related_contracts"
    path: tuple
    label: dict  # {"nb": ..., "en": ...}
    help: dict
    why: tuple  # ({"decision", "project", "rule", "nb", "en"}, ...)
    settles: tuple = ()  # open decisions it decides whatever the answer
    settled_share: Decimal = Decimal(0)  # of the probes, how much it decided on average
    kind: str = "text"  # bool | choice | money | share | number | date | list | text
    choices: tuple | None = None
    project: str | None = field(default=None)

    def why_text(self, lang: str = "en") -> str:
        """The rules waiting for this fact ("decides R-ACCUMULATED: related contracts
        within 5 years (ica_required)"); the decisions only when no rule waits."""
        word = "avgjør" if lang == "nb" else "decides"
        shown = [w for w in self.why if w["rule"]] or list(self.why)
        parts = []
        for w in shown:
            target = f"{w['project']}: {w['decision']}" if w["project"] else w["decision"]
            parts.append(f"{word} {w['rule']}: {w[lang]} ({target})" if w["rule"] else f"{word} {target}")
        return "; ".join(dict.fromkeys(parts))

    def to_dict(self) -> dict:
        return {
            "fact": self.fact,
            "label": dict(self.label),
            "help": dict(self.help),
            "why": [dict(w) for w in self.why],
            "settles": list(self.settles),
            "kind": self.kind,
            **({"choices": list(self.choices)} if self.choices is not None else {}),
            **({"project": self.project} if self.project else {}),
        }


_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_fact(fact: str) -> tuple:
    return tuple(int(i) if i else name for name, i in _PART.findall(fact))


def set_fact(data: dict, path: tuple, value) -> dict:
    """A copy of the document with one fact set (records made as needed)."""
    out = copy.deepcopy(data)
    target = out
    for part in path[:-1]:
        if isinstance(part, int):
            target = target[part]
        else:
            if not isinstance(target.get(part), dict) and not isinstance(target.get(part), list):
                target[part] = {}
            target = target[part]
    target[path[-1]] = value
    return out


def open_targets(result) -> dict:
    """Open decision -> (project id or None, name), keyed "name" or "P1: name"."""
    out = {n: (None, n) for n, d in result.decisions.items() if not d.decided}
    for p in result.projects:
        out.update({f"{p.id}: {n}": (p.id, n) for n, d in p.decisions.items() if not d.decided})
    return out


def questions_for(result) -> list[Question]:
    session = result._session
    targets = open_targets(result)
    facts = _facts(result)
    if not targets or not facts:
        return []
    why = _why(result, session, facts)
    ranked = []
    for i, fact in enumerate(sorted(facts, key=_schema_order)):
        path = parse_fact(fact)
        settles, share = _probe(session, path, targets) if i < MAX_PROBED else ((), Decimal(0))
        ranked.append((-len(settles), -share, _schema_order(fact), fact, settles, share))
    ranked.sort()
    return [_question(session, fact, why.get(fact, ()), settles, share) for *_, fact, settles, share in ranked]


def _facts(result) -> set:
    out: set = set()
    for d in result.decisions.values():
        out |= set(d.depends_on)
    for p in result.projects:
        for d in p.decisions.values():
            out |= set(d.depends_on)
    return out


_FIELD_ORDER = [
    "date", "procurement.regulation", "supplier.country", "procurement.channel", "procurement.only_for_norway",
    "procurement.value_nok", "procurement.related_contracts", "procurement.expected_accumulated_value_nok",
]


def _schema_order(fact: str):
    generic = generic_path(parse_fact(fact))
    rank = _FIELD_ORDER.index(generic) if generic in _FIELD_ORDER else len(_FIELD_ORDER)
    return (rank, fact)


def _why(result, session, facts: set) -> dict:
    """fact -> the rules (or decisions) waiting for it."""
    out: dict = {f: [] for f in facts}
    run = session.runs[-1]
    named = [(None, run.outcomes)] + [(p.get("id"), o) for p, o in zip(run.projects, run.project_outcomes, strict=True)]
    outputs = set(result.decisions) | {n for p in result.projects for n in p.decisions}
    for project, outcomes in named:
        for name, outcome in outcomes.items():
            if name not in outputs or not outcome.facts:
                continue
            for fact in outcome.facts & facts:
                rules = [rid for rid, waits in outcome.waiting.items() if fact in waits]
                for rid in rules or [None]:
                    nb, en = rule_text(rid) if rid else ("", "")
                    entry = {"decision": name, "project": project, "rule": rid, "nb": nb, "en": en}
                    if entry not in out[fact]:
                        out[fact].append(entry)
    return out


def _probe(session, path: tuple, targets: dict) -> tuple[tuple, Decimal]:
    """(the open decisions decided whatever the value, the average share decided)."""
    always: set | None = None
    total = 0
    probes = probe_values(session, path)
    tried = 0
    for value in probes:
        try:
            again = session.again(set_fact(session.data, path, value))
        except Exception:  # an invalid combination tells nothing
            continue
        tried += 1
        decided = {key for key, (pid, name) in targets.items() if _decided_in(again, pid, name)}
        total += len(decided)
        always = decided if always is None else always & decided
    if not tried:
        return (), Decimal(0)
    return tuple(sorted(always or ())), Decimal(total) / Decimal(tried * max(1, len(targets)))


def _decided_in(result, project, name) -> bool:
    if project is None:
        d = result.decisions.get(name)
        return d is not None and d.decided
    for p in result.projects:
        if p.id == project:
            d = p.decisions.get(name)
            return d is not None and d.decided
    return False


def probe_values(session, path: tuple) -> list:
    """A few telling values of one fact, for ranking questions."""
    from .api import reader

    schema = reader().schema_at(path)
    if "enum" in schema:
        return list(schema["enum"])
    kind = schema.get("type")
    if kind == "boolean":
        return [True, False]
    if kind == "array":
        return [[], [_large_item(session, path + (0,))]]
    declared = schema.get("x-icpolicy-type")
    if declared in ("money", "share", "number"):
        return _numbers(session, declared)
    if declared == "date":
        return _dates(session)
    if path[-1] == "country":
        return ["NO", "SE", "US"]
    return []


def _numbers(session, declared: str) -> list:
    typ = {"money": T.MONEY, "share": T.SHARE, "number": T.NUMBER}[declared]
    step = {"money": Decimal("0.01"), "share": Decimal("0.000001"), "number": Decimal("0.01")}[declared]
    top = {"money": Decimal(10) ** 15, "share": Decimal(1), "number": Decimal(100)}[declared]
    out = {Decimal(0), top}
    for run in session.runs:
        for p in run.model.parameters.values():
            if p.type == typ and isinstance(p.value, Decimal):
                out |= {v for v in (p.value - step, p.value, p.value + step) if 0 <= v <= top}
    return sorted(out)


def _dates(session) -> list:
    day = session.data.get("date")
    try:
        day = parse_iso_date(str(day))
    except ValueError:
        day = dt.date.today()
    back = day.replace(year=day.year - 5) if not (day.month == 2 and day.day == 29) else day.replace(year=day.year - 5, day=28)
    return [d.isoformat() for d in (day, back, back + dt.timedelta(days=1))]


def _large_item(session, path: tuple) -> dict:
    """A list item every field of which is at its most telling: large amounts, the
    case date, true, a foreign country."""
    from .api import reader

    schema = reader().schema_at(path)
    out: dict = {}
    for key in schema.get("properties", {}):
        sub = reader().schema_at(path + (key,))
        if key == "id":
            out[key] = "Q1"
        elif "enum" in sub:
            out[key] = sub["enum"][0]
        elif sub.get("type") == "boolean":
            out[key] = True
        elif sub.get("x-icpolicy-type") == "date":
            out[key] = _dates(session)[0]
        elif sub.get("x-icpolicy-type") in ("money", "number"):
            out[key] = Decimal(10) ** 9 if sub.get("x-icpolicy-type") == "money" else Decimal(1)
        elif sub.get("x-icpolicy-type") == "share":
            out[key] = Decimal(1)
        elif key == "country":
            out[key] = "US"
    return out


def _question(session, fact: str, why, settles: tuple, share: Decimal) -> Question:
    from .api import reader

    path = parse_fact(fact)
    generic = generic_path(path)
    label_nb, label_en, help_nb, help_en = field_text(generic)
    project = None
    if path and path[0] == "projects" and len(path) > 2:
        items = session.data.get("projects")
        if isinstance(items, list) and isinstance(path[1], int) and path[1] < len(items):
            item = items[path[1]]
            project = item.get("id") if isinstance(item, dict) else None
    schema = reader().schema_at(path)
    kind, choices = _kind(schema, path)
    return Question(
        fact, path, {"nb": label_nb, "en": label_en}, {"nb": help_nb, "en": help_en}, tuple(why), settles, share, kind, choices, project
    )


def _kind(schema: dict, path: tuple) -> tuple[str, tuple | None]:
    if "enum" in schema:
        return "choice", tuple(schema["enum"])
    if schema.get("type") == "boolean":
        return "bool", None
    if schema.get("type") == "array":
        return "list", None
    declared = schema.get("x-icpolicy-type")
    if declared in ("money", "share", "number", "date"):
        return declared, None
    return "text", None
