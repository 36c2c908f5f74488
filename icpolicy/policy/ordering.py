"""The order of a policy's values: definitions before what names them, every value
after what it depends on. A cycle, or a chain of dependencies too long to evaluate,
is a problem of the policy, reported at load (never on each case).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..diagnostics import IcpolicyError
from ..lang import ast
from ..lang.parser import parse_expr
from .graph import components, cycle_through, is_cycle
from .model import Decision

# The longest chain of definitions and decisions each using the next: evaluating one
# goes as deep as its chain, so a longer one would fail on every case, not at load.
MAX_CHAIN = 100

Report = Callable[..., None]


def definition_order(definitions: dict, report: Report) -> tuple[list[str], set[str]]:
    """Definitions in an order where each comes after the definitions it names, and
    the definitions on a cycle (reported once here; what they say is not checked)."""
    refs = {name: sorted(_names_used(raw["value"], definitions, name)) for name, raw in definitions.items()}
    order = []
    cyclic: set[str] = set()
    for part in components(list(definitions), refs.__getitem__):
        if is_cycle(part, refs.__getitem__):
            cycle = cycle_through(part[0], part, refs.__getitem__)
            what = "a definition uses itself: " if len(part) == 1 else "definitions depend on each other in a cycle: "
            report("E-CYCLE", what + " -> ".join(cycle), ("definitions", part[0]))
            cyclic.update(part)
        order += part
    return order, cyclic


def evaluation_order(nodes: Mapping[str, Decision], deps: Mapping[str, frozenset], report: Report) -> list[str]:
    """Every value after those it depends on (in file order where free to choose)."""

    def uses(name: str) -> list[str]:
        return sorted(d for d in deps.get(name, ()) if d in nodes)

    order = []
    cyclic = False
    for part in components(list(nodes), uses):
        if is_cycle(part, uses):
            cyclic = True
            report(
                "E-CYCLE",
                "decisions depend on each other in a cycle: " + " -> ".join(cycle_through(part[0], part, uses)),
                nodes[part[0]].path,
                "a decision cannot depend, directly or through others, on itself",
                key=True,
            )
        order += part
    if not cyclic:
        _check_chain_length(order, uses, nodes, report)
    return order


def _check_chain_length(order: list[str], uses: Callable[[str], list[str]], nodes: Mapping[str, Decision], report: Report) -> None:
    """At most MAX_CHAIN values each depending on the next; one problem, at the first
    value (in evaluation order) whose chain is longer."""
    below: dict[str, str | None] = {}  # the next name on the longest chain
    length: dict[str, int] = {}
    for name in order:
        longest = max(uses(name), key=length.__getitem__, default=None)
        below[name] = longest
        length[name] = 1 + (length[longest] if longest is not None else 0)
        if length[name] > MAX_CHAIN:
            chain = [name]
            while len(chain) < 4:
                nxt = below[chain[-1]]
                if nxt is None:
                    break
                chain.append(nxt)
            report(
                "E-LIMIT",
                f"'{name}' depends on a chain of {length[name]} definitions and decisions "
                f"({' -> '.join(chain)} -> ...); at most {MAX_CHAIN} are allowed",
                nodes[name].path,
                "compute it in fewer steps: a chain this long cannot be evaluated",
            )
            return


def _names_used(value, definitions: dict, own: str) -> set[str]:
    """The definitions an expression names (parsed leniently: syntax is reported later)."""
    text = value if isinstance(value, str) else str(value)
    try:
        node = parse_expr(text)
    except IcpolicyError:
        return set()
    # A field may have the definition's own name (agreement.obligation_ratio in
    # obligation_ratio); only a bare name is a use of itself.
    names = {n.name for n in ast.walk(node) if isinstance(n, ast.Name)}
    fields = {n.name for n in ast.walk(node) if isinstance(n, ast.Field)} - {own}
    return {n for n in names | fields if n in definitions}
