"""What the loader reads off a policy's entries: the names each rule and text depends
on, the sources cited, the rules whose overrides name no rule."""

from __future__ import annotations

from .model import Expr, Rule, Template


def broken_overrides(raw_rules: list) -> set[str]:
    """The rules that override a rule id the decision does not have (reported by
    rulechecks.check_override_targets)."""
    ids = {r["id"] for r in raw_rules}
    return {r["id"] for r in raw_rules if r.get("overrides", "all") != "all" and not set(r["overrides"]) <= ids}


def rule_deps(rule: Rule) -> set:
    deps = set(rule.value.checked.deps)
    if rule.when is not None:
        deps |= rule.when.checked.deps
    return deps


def template_deps(template: Template) -> set:
    deps: set = set()
    for each in (template, *template.translations.values()):
        for part in each.parts:
            if isinstance(part, Expr):
                deps |= part.checked.deps
    return deps


def walk_sources(data: dict):
    for name, raw in data.get("parameters", {}).items():
        if isinstance(raw, dict) and "source" in raw:
            yield ("parameters", name, "source"), raw["source"]
    for name, raw in data.get("decisions", {}).items():
        if "source" in raw:
            yield ("decisions", name, "source"), raw["source"]
        for i, rule in enumerate(raw.get("rules", [])):
            yield ("decisions", name, "rules", i, "source"), rule["source"]
