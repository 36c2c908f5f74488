"""Large policies load, and their checks are linear: 2 000 rules that all override all,
conflicts among many rules, a long parameter list, long dependency chains.
(Figures: docs/performance.md, from benchmarks/bench_load.py; no timing here.)"""

from __future__ import annotations

from decimal import Decimal

import pytest

import icpolicy
from icpolicy import IcpolicyError
from icpolicy.policy import graph

HEAD = 'id: mini\nversion: "1"\ntitle: Large\nsources:\n  guide:\n    title: The guide\n'


def rules_policy(n: int, values, overrides: str | None) -> str:
    lines = [HEAD + "decisions:\n  flag:\n    type: bool\n    default: false\n    rules:"]
    for i in range(n):
        lines += [f"      - id: R-{i}", f"        when: procurement.value_nok > {i} NOK", f"        value: {values(i)}"]
        if overrides:
            lines.append(f"        overrides: {overrides}")
        lines += ["        source: {ref: guide, quote: q}", "        explanation: E."]
    return "\n".join(lines) + "\n"


def load(tmp_path, text: str):
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return icpolicy.load_policy(path)


def test_2000_rules_that_all_override_all_and_agree_load(tmp_path):
    policy = load(tmp_path, rules_policy(2000, lambda i: "true", "all"))
    result = policy.evaluate({"id": "C", "date": "2025-01-01", "procurement": {"value_nok": 5}, "supplier": {"country": "US"}})
    assert result.decisions["flag"].value is True


def test_rules_that_all_override_all_but_disagree_are_one_error_with_a_short_message(tmp_path):
    with pytest.raises(IcpolicyError) as info:
        load(tmp_path, rules_policy(200, lambda i: "true" if i % 2 else "false", "all"))
    (only,) = info.value.diagnostics
    assert only.code == "E-RULE"
    assert "R-0, R-1, R-2, R-3, R-4, R-5, R-6, ... (192 more) and R-199 of 'flag' override each other" in only.message
    assert len(only.message) < 400


def test_conflicts_among_many_rules_are_shown_20_and_counted(tmp_path):
    # 100 rules give true and 100 false, none overriding another: 10 000 pairs, less
    # those where one rule overrides the other (R-1 overrides R-0).
    text = rules_policy(200, lambda i: "true" if i % 2 else "false", None)
    text = text.replace("        value: true\n", "        value: true\n        overrides: [R-0]\n", 1)
    with pytest.raises(IcpolicyError) as info:
        load(tmp_path, text)
    found = info.value.diagnostics
    # 20 pairs checked, each with a case on which both fire; the rest counted, unchecked.
    assert sorted(d.code for d in found) == ["E-CONFLICT"] * 20 + ["E-MAY-CONFLICT"]
    assert all("both fire on this case" in d.help for d in found if d.code == "E-CONFLICT")
    (rest,) = [d for d in found if d.code == "E-MAY-CONFLICT"]
    assert "9979 more pairs of rules of 'flag'" in rest.message and "not checked" in rest.message
    assert not any("R-0 and R-1 " in d.message for d in found)


def test_many_rules_that_exclude_each_other_load_without_overrides(tmp_path):
    # Brackets of one field with alternating values: 300 rules, 22 350 pairs with
    # different values, none of which can fire together.
    lines = [HEAD + "decisions:\n  flag:\n    type: bool\n    default: false\n    rules:"]
    for i in range(300):
        when = f"procurement.value_nok >= {i} MNOK and procurement.value_nok < {i + 1} MNOK"
        lines += [f"      - id: R-{i}", f"        when: {when}", f"        value: {'true' if i % 2 else 'false'}"]
        lines += ["        source: {ref: guide, quote: q}", "        explanation: E."]
    policy = load(tmp_path, "\n".join(lines) + "\n")
    case = {"id": "C", "date": "2025-01-01", "procurement": {"value_nok": 7_500_000}, "supplier": {"country": "US"}}
    decided = policy.evaluate(case).decisions["flag"]
    assert (decided.value, decided.rules) == (True, ("R-7",))


def _list_policy(n: int) -> str:
    items = ", ".join(f"{i} NOK" for i in range(n))
    return HEAD + (
        f"parameters:\n  amounts:\n    value: '[{items}]'\n    unit: list\n    source: {{ref: guide, quote: q}}\n"
        "decisions:\n  listed:\n    type: bool\n    value: procurement.value_nok in amounts\n"
    )


def test_a_long_parameter_list_loads(tmp_path):
    # About as long as one expression may be (20 000 characters).
    policy = load(tmp_path, _list_policy(1_800))
    assert len(policy.model.parameters["amounts"].value) == 1_800
    assert policy.model.parameters["amounts"].value[-1] == Decimal(1_799)
    case = {"id": "C", "date": "2025-01-01", "procurement": {"value_nok": 1_799}, "supplier": {"country": "US"}}
    assert policy.evaluate(case).decisions["listed"].value is True


def test_a_parameter_list_longer_than_the_expression_limit_is_one_clear_limit_error(tmp_path):
    # 250 000 amounts are about 3 000 000 characters, over lang's MAX_LENGTH (2 000 000,
    # which 100 000 amounts fit in: benchmarks/bench_load.py loads them).
    with pytest.raises(IcpolicyError) as info:
        load(tmp_path, _list_policy(250_000))
    (only,) = info.value.diagnostics
    assert only.code == "E-LIMIT" and "characters long" in only.message
    assert (only.span.line, only.span.col) == (9, 13)


# --- the one graph walk ---------------------------------------------------------------------


def test_components_come_after_what_they_reach_and_cycles_are_found():
    edges = {"a": ["b"], "b": ["c"], "c": ["b", "d"], "d": [], "e": ["e"]}
    parts = graph.components(list(edges), edges.__getitem__)
    assert parts == [["d"], ["b", "c"], ["a"], ["e"]]
    assert [graph.is_cycle(p, edges.__getitem__) for p in parts] == [False, True, False, True]
    assert graph.cycle_through("b", ["b", "c"], edges.__getitem__) == ["b", "c", "b"]
    assert graph.cycle_through("e", ["e"], edges.__getitem__) == ["e", "e"]


def test_a_chain_of_100000_nodes_needs_no_deep_stack():
    n = 100_000
    parts = graph.components(range(n), lambda i: [i + 1] if i + 1 < n else [])
    assert [p[0] for p in parts[:3]] == [n - 1, n - 2, n - 3] and len(parts) == n


def test_overrides_all_is_walked_once_per_rule_not_once_per_pair(tmp_path, monkeypatch):
    calls = []
    real = graph.components

    def counting(nodes, successors):
        def counted(node):
            out = list(successors(node))
            calls.append(len(out))
            return out

        return real(nodes, counted)

    monkeypatch.setattr("icpolicy.policy.rulechecks.components", counting)
    load(tmp_path, rules_policy(300, lambda i: "true", "all"))
    # Each rule has one edge (to the hub) and the hub one to each rule: 2 n edges, not n².
    assert sum(calls) == 2 * 300
