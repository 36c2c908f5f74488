"""Stage: policy file -> checked, frozen `PolicyModel`, or every problem found in it.

Reads the YAML safely (positions kept), validates it against
`schemas/policy.schema.json` (schema_errors.py), parses each expression,
type-checks it against the case schema, resolves dependencies between decisions
(reporting cycles and chains too deep to evaluate), checks rule overrides and
conflicts that show without a case (rulechecks.py), and orders the decisions for
evaluation. Each problem names file:line:col inside the YAML file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from types import MappingProxyType

from ..cases.schema import CaseSchema, bundled_case_schema
from ..diagnostics import Diagnostic, IcpolicyError, Span, suggest
from ..i18n.policycheck import presentation_problems, translation_problems
from ..i18n.texts import text_of
from ..lang import ast
from ..lang import types as T
from ..lang.ast import Place
from ..lang.checker import Checked, CheckEnv, NameInfo, check_expr
from ..lang.compile import compile_expr
from ..lang.parser import parse_expr
from ..lang.runtime import EvalFailure
from ..yamlsource import Document, expression_span
from . import ordering, rulechecks
from .conflict_cases import CaseMaker
from .model import Decision, Expr, Parameter, PolicyModel, Rule, SourceRef, Template
from .quotes import quote_problems
from .repeats import one_per_unknown_name
from .schema_errors import schema_problems
from .walk import broken_overrides, rule_deps, template_deps, walk_sources

POLICY_FILE = "policy.yaml"
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_FAILED = object()


def build_model(doc: Document, case_schema: CaseSchema | None = None) -> PolicyModel:
    """The checked model of a policy file; its expressions are checked against the
    case schema's types (the bundled case schema unless another is given)."""
    problems: list[Diagnostic] = list(schema_problems(doc))
    if problems:
        raise IcpolicyError(problems)
    return _Builder(doc, case_schema or bundled_case_schema()).build()


class _Builder:
    def __init__(self, doc: Document, case_schema: CaseSchema):
        assert isinstance(doc.data, dict)  # schema_problems said so
        self.doc = doc
        self.data: dict = doc.data
        self.problems: list[Diagnostic] = []
        self.case_schema = case_schema
        self.case_type = case_schema.types
        projects = self.case_type.field("projects")
        assert isinstance(projects, T.ListOf) and isinstance(projects.item, T.Record)
        self.project_type: T.Record = projects.item
        self.parameters: dict[str, Parameter] = {}
        self.nodes: dict[str, Decision] = {}  # definitions and decisions, filled in as checked
        self.deps: dict[str, frozenset] = {}
        self.explain_deps: dict[str, frozenset] = {}
        self.mistyped: set[tuple] = set()  # paths of expressions with a type problem reported
        # Definitions that failed (their problem is reported once, where they are written):
        # what uses them fails silently instead of reporting an unknown name (issue 10, 3).
        self.poisoned: set[str] = set()

    # -- helpers -----------------------------------------------------------------
    def fail(
        self, code: str, message: str, path: tuple, help: str | None = None, pos: ast.Pos | None = None, key: bool = False
    ):
        """A problem at `path` (its key with `key`), or at `pos` inside the expression there."""
        if pos is not None:
            span = expression_span(self.doc, path, pos.line, pos.col, pos.end_line, pos.end_col)
        else:
            span = self.doc.span(path, key=key)
        self.problems.append(Diagnostic(code, message, span, help))

    def elsewhere(self, other: tuple, here: tuple) -> str:
        """Where `other` is written, as seen from `here`: its line, and its file when the
        two are in different files (a version merged from several)."""
        there = self.doc.span(other)
        return f"line {there.line}" if there.file == self.doc.span(here).file else f"{there.file}:{there.line}"

    def inherited(self, path: tuple) -> bool:
        """Whether the entry at `path` comes from the version this one extends."""
        owns = getattr(self.doc, "owns", None)
        return owns is not None and not owns(path)

    def stop_if_failed(self) -> None:
        if self.problems:
            raise IcpolicyError(one_per_unknown_name(self.problems))

    def raw(self, path: tuple):
        value = self.data
        for part in path:
            value = value[part]
        return value

    def place(self, path: tuple) -> Place:
        """Positions inside the expression at `path` -> spans in the file."""

        def place(pos: ast.Pos | None) -> Span:
            if pos is None:
                return self.doc.span(path)
            return expression_span(self.doc, path, pos.line, pos.col, pos.end_line, pos.end_col)

        return place

    def parse(self, path: tuple) -> tuple[str, ast.Node] | None:
        raw = self.raw(path)
        text = raw if isinstance(raw, str) else ("true" if raw is True else "false" if raw is False else str(raw))
        try:
            return text, parse_expr(text, self.place(path))
        except IcpolicyError as exc:
            self.problems += exc.diagnostics
            return None

    def report(self, checked: Checked) -> None:
        self.problems += checked.problems

    def source(self, raw: dict) -> SourceRef:
        title = self.data.get("sources", {}).get(raw["ref"], {}).get("title")
        return SourceRef(raw["ref"], raw["quote"], raw.get("section"), text_of(raw.get("interpretation")), title)

    # -- the stages ----------------------------------------------------------------
    def build(self) -> PolicyModel:
        # Texts in each declared language, quotes found in the source's text (issue 11).
        self.problems += translation_problems(self.doc) + quote_problems(self.doc)
        self.check_sources()
        self.build_parameters()
        self.declare_nodes()
        self.check_names_unique()
        self.stop_if_failed()
        self.check_nodes()
        order = self.order_nodes() if not self.problems else []
        self.stop_if_failed()
        d = self.data
        title = text_of(d["title"])
        assert title is not None  # the schema requires it
        model = PolicyModel(
            id=d["id"],
            version=str(d["version"]),
            title=title,
            file=self.doc.name,
            sha256=hashlib.sha256(self.doc.text.encode("utf-8")).hexdigest(),
            effective_from=d.get("effective_from"),
            effective_to=d.get("effective_to"),
            note=d.get("note"),
            description=text_of(d.get("description")),
            sources=MappingProxyType(dict(d.get("sources", {}))),
            languages=tuple(d.get("languages", ())),
            summary=tuple(d.get("summary", ())),
            parameters=MappingProxyType(self.parameters),
            nodes=MappingProxyType(self.nodes),
            order=tuple(order),
            deps=MappingProxyType(self.deps),
            explain_deps=MappingProxyType(self.explain_deps),
        )
        self.problems += presentation_problems(self.doc, model)
        self.stop_if_failed()
        return model

    def check_sources(self):
        known = self.data.get("sources", {})
        for path, raw in walk_sources(self.data):
            if raw["ref"] not in known:
                self.fail("E-SOURCE", f"unknown source '{raw['ref']}'", path + ("ref",), suggest(raw["ref"], known))

    def build_parameters(self):
        env = CheckEnv(globals={})
        for name, raw in self.data.get("parameters", {}).items():
            path = ("parameters", name, "value")
            parsed = self.parse(path)
            if parsed is None:
                continue
            checked = check_expr(parsed[1], env, self.place(path))
            if checked.problems:
                constant_help = "a parameter is a constant: it may use only literals and earlier parameters"
                self.problems += [
                    dataclasses.replace(p, help=constant_help) if p.code == "E-NAME" and p.help is None else p for p in checked.problems
                ]
                continue
            typ = checked.type
            assert typ is not None  # the checker types what it finds no problem in
            value = self.constant(name, path, parsed[1], checked)
            if value is _FAILED:
                continue
            unit = raw.get("unit")
            if unit and not rulechecks.unit_fits(unit, typ):
                self.fail("E-PARAM", f"parameter '{name}' has unit {unit} but its value is {typ}", ("parameters", name, "unit"))
            expr = Expr(parsed[0], parsed[1], path, typ, checked)
            self.parameters[name] = Parameter(name, expr, value, typ, self.source(raw["source"]), unit, text_of(raw.get("description")))
            env.globals[name] = NameInfo(typ, "param", value)

    def constant(self, name: str, path: tuple, node: ast.Node, checked: Checked):
        """A parameter's value. It uses only literals and earlier parameters, so when
        it does not fold to a constant, computing it says why (division by zero...)."""
        compiled = compile_expr(node, checked)
        if compiled.is_constant:
            return compiled.constant
        try:
            return compiled.fn({})
        except EvalFailure as exc:
            self.fail("E-PARAM", f"parameter '{name}' cannot be computed: {exc}", path, pos=getattr(exc, "pos", None))
        return _FAILED

    def declare_nodes(self):
        for name, raw in self.data.get("definitions", {}).items():
            scope = "project" if raw.get("for_each") else "case"
            self.nodes[name] = Decision(
                name, None, scope, output=False, description=text_of(raw.get("description")), path=("definitions", name)
            )
        for name, raw in self.data.get("decisions", {}).items():
            scope = "project" if raw.get("for_each") else "case"
            values = tuple(raw["values"]) if "values" in raw else None
            if values and raw["type"] != "string":
                self.fail("E-SCHEMA", "`values` is only for decisions of type string", ("decisions", name, "values"))
            typ = T.Str(frozenset(values)) if values else T.DECLARED_TYPES[raw["type"]]
            if name in self.nodes:
                self.fail("E-NAME", f"'{name}' is both a definition and a decision", ("decisions", name))
                continue
            source = self.source(raw["source"]) if "source" in raw else None
            self.nodes[name] = Decision(
                name, typ, scope, output=True, source=source, description=text_of(raw.get("description")),
                values=values, path=("decisions", name),
                title=text_of(raw.get("title")),
                labels={str(k): text_of(v) for k, v in (raw.get("labels") or {}).items()},
                applies_if=raw.get("applies_if"), cites=tuple(raw.get("cites", ())),
            )

    def check_names_unique(self):
        case_fields = set(self.case_type.names())
        project_fields = set(self.project_type.names())
        for name in self.parameters:
            if name in case_fields:
                self.fail("E-NAME", f"parameter '{name}' has the name of a case field", ("parameters", name))
        for name, node in self.nodes.items():
            if name in case_fields or name in self.parameters or name == "project":
                self.fail("E-NAME", f"'{name}' is already the name of a case field or parameter", node.path)
            if node.scope == "project" and name in project_fields:
                self.fail("E-NAME", f"'{name}' is already a field of each project", node.path)
        seen: dict[str, tuple] = {}
        for name, raw in self.data.get("decisions", {}).items():
            for i, rule in enumerate(raw.get("rules", [])):
                path = ("decisions", name, "rules", i, "id")
                if rule["id"] in seen:
                    first, again = seen[rule["id"]], path
                    if self.inherited(again) and not self.inherited(first):
                        first, again = again, first  # reported in the version's own file, where it was written
                    self.fail("E-RULE", f"rule id {rule['id']} is used twice (also at {self.elsewhere(first, again)})", again)
                seen[rule["id"]] = path

    def start_envs(self) -> None:
        """The names expressions may use: case fields, parameters and the values typed
        so far. Kept up to date as each value is typed (see `typed_node`), so that
        checking a policy of many definitions is not quadratic in their number."""
        self.case_names = {name: NameInfo(typ, "case") for name, typ in self.case_type.fields}
        for name, p in self.parameters.items():
            self.case_names[name] = NameInfo(p.type, "param", p.value)
        self.project_names: dict[str, NameInfo] = {}
        self.position = {name: i for i, name in enumerate(self.nodes)}
        self.reserved = frozenset(self.nodes) | frozenset(self.parameters)
        for node in self.nodes.values():
            if node.type is not None:
                self.add_typed(node, refresh=False)
        self.refresh_projects()

    def add_typed(self, node: Decision, refresh: bool = True) -> None:
        assert node.type is not None
        if node.scope == "case":
            self.case_names[node.name] = NameInfo(node.type, "computed")
            return
        self.project_names[node.name] = NameInfo(node.type, "project_computed")
        if refresh:
            self.refresh_projects()

    def refresh_projects(self) -> None:
        # Each project, as seen from the case, carries its per-project values (in file order).
        names = sorted(self.project_names, key=self.position.__getitem__)
        self.project_record = self.project_type.with_fields({n: self.project_names[n].type for n in names})
        self.case_names["projects"] = NameInfo(T.ListOf(self.project_record), "case")

    def env(self, in_project: bool) -> CheckEnv:
        return CheckEnv(self.case_names, self.project_names, self.project_record.name, in_project, self.reserved, self.poisoned)

    def check(self, node: Decision, path: tuple) -> Expr | None:
        """The expression at `path`, parsed and checked in `node`'s scope."""
        parsed = self.parse(path)
        if parsed is None:
            return None
        checked = check_expr(parsed[1], self.env(node.scope == "project"), self.place(path))
        self.report(checked)
        return Expr(parsed[0], parsed[1], path, checked.type, checked)

    def check_nodes(self):
        self.start_envs()
        order, cyclic = ordering.definition_order(self.data.get("definitions", {}), self.fail)
        self.poisoned |= cyclic  # the cycle is reported once, not each use inside it
        for name in order:
            if name in cyclic:
                continue
            node = self.nodes[name]
            expr = self.check(node, node.path + ("value",))
            if expr is None or expr.type is None:
                self.poisoned.add(name)
            if expr is None:
                continue
            node = self.nodes[name] = dataclasses.replace(node, value=expr, type=expr.type)
            self.deps[name] = frozenset(expr.checked.deps)
            if node.type is not None:
                self.add_typed(node)
        for name, raw in self.data.get("decisions", {}).items():
            self.check_decision(self.nodes[name], raw)

    def typed(self, node: Decision, path: tuple, want: T.Type | None, what: str) -> Expr | None:
        expr = self.check(node, path)
        if expr is None:
            return None
        got = expr.type
        if expr.checked.problems or expr.checked.poisoned:
            self.mistyped.add(path)
        elif got is not None and want is not None and not rulechecks.fits(want, got):
            self.fail("E-TYPE", f"{what} is {got}, but '{node.name}' is {want}", path)
            self.mistyped.add(path)
        rulechecks.check_literal_values(node, expr, self.fail)
        return expr

    def check_decision(self, node: Decision, raw: dict):
        base = node.path
        deps: set = set()
        explain_deps: set = set()
        value = default = explanation = None
        if "value" in raw:
            value = self.typed(node, base + ("value",), node.type, "the value")
        else:
            default = self.typed(node, base + ("default",), node.type, "the default")
        for expr in (value, default):
            if expr is not None:
                deps |= expr.checked.deps
        if "explanation" in raw:
            explanation = self.template(node, base + ("explanation",))
            explain_deps |= template_deps(explanation)
        rulechecks.check_override_targets(node, raw.get("rules", []), self.fail)
        rules = []
        for i, rraw in enumerate(raw.get("rules", [])):
            rule = self.rule(node, rraw, base + ("rules", i))
            if rule is None:
                continue
            rules.append(rule)
            deps |= rule_deps(rule)
            explain_deps |= template_deps(rule.explanation)
        node = self.nodes[node.name] = dataclasses.replace(
            node, value=value, default=default, explanation=explanation, rules=tuple(rules)
        )
        self.deps[node.name] = frozenset(deps)
        # Explanations may show other values (and the decision's own): computed on demand.
        self.explain_deps[node.name] = frozenset(explain_deps - {node.name})
        # A rule already reported (a mistyped value or condition, an override of a rule that
        # does not exist) is not compared again: one diagnostic per mistake.
        broken = broken_overrides(raw.get("rules", []))
        checked_rules = dataclasses.replace(node, rules=tuple(r for r in node.rules if self.sound(r, broken)))
        maker = CaseMaker.for_policy(self.nodes, self.case_schema, self.data)  # witnesses of conflicts
        rulechecks.check_static_conflicts(checked_rules, self.fail, maker)
        rulechecks.check_override_circles(checked_rules, self.fail)

    def sound(self, rule: Rule, broken: set[str]) -> bool:
        """Whether nothing in the rule has been reported yet."""
        when_failed = rule.when is not None and rule.when.path in self.mistyped
        return rule.id not in broken and rule.value.path not in self.mistyped and not when_failed

    def rule(self, node: Decision, raw: dict, path: tuple) -> Rule | None:
        when = self.typed(node, path + ("when",), T.BOOL, "the condition") if "when" in raw else None
        value = self.typed(node, path + ("value",), node.type, "the value")
        explanation = self.template(node, path + ("explanation",))
        if value is None:
            return None
        overrides = raw.get("overrides", ())
        if overrides != "all":
            overrides = tuple(overrides)
        return Rule(raw["id"], when, value, self.source(raw["source"]), explanation, overrides, text_of(raw.get("description")), path)

    def template(self, node: Decision, path: tuple) -> Template:
        raw = self.raw(path)
        if isinstance(raw, dict):  # one text per language (issue 11); English is the default
            texts = {lang: self.template_text(node, path + (lang,), text) for lang, text in raw.items()}
            main = texts.get("en") or next(iter(texts.values()))
            return dataclasses.replace(main, translations=MappingProxyType(texts))
        return self.template_text(node, path, raw)

    def template_text(self, node: Decision, path: tuple, raw: str) -> Template:
        parts: list = []
        last = 0
        for match in _PLACEHOLDER.finditer(raw):
            parts.append(raw[last : match.start()])
            last = match.end()
            expr = self.placeholder(node, path, raw, match)
            if expr is not None:
                parts.append(expr)
        parts.append(raw[last:])
        return Template(raw, path, tuple(parts))

    def placeholder(self, node: Decision, path: tuple, raw: str, match: re.Match) -> Expr | None:
        text = match.group(1)
        start = match.start(1)

        def place(line, col):
            # (line, col) inside the placeholder -> a span in the file.
            index = start + sum(len(x) + 1 for x in text.split("\n")[: line - 1]) + col - 1
            before = raw[:index]
            return expression_span(self.doc, path, before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1)

        def placed(pos: ast.Pos | None) -> Span:
            return place(pos.line, pos.col) if pos is not None else self.doc.span(path)

        def in_placeholder(found: list[Diagnostic]) -> list[Diagnostic]:
            return [dataclasses.replace(d, message=f"in the placeholder {{{text}}}: {d.message}") for d in found]

        try:
            expr_node = parse_expr(text, placed)
        except IcpolicyError as exc:
            self.problems += in_placeholder(exc.diagnostics)
            return None
        checked = check_expr(expr_node, self.env(node.scope == "project"), placed)
        self.problems += in_placeholder(checked.problems)
        return Expr(text, expr_node, path, checked.type, checked)

    def order_nodes(self) -> list[str]:
        return ordering.evaluation_order(self.nodes, self.deps, self.fail)
