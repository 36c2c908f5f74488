"""Stage: policy file -> checked `PolicyModel`, or every problem found in it.

Reads the YAML safely (positions kept), validates it against
`schemas/policy.schema.json`, parses each expression, type-checks it against the
case schema, resolves dependencies between decisions (reporting cycles), checks
rule overrides and conflicts that show without a case, and orders the decisions
for evaluation. Each problem names file:line:col inside the YAML file.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache

from ..cases.schema import CaseSchema, bundled_case_schema
from ..diagnostics import Diagnostic, IcpolicyError
from ..lang import ast
from ..lang import types as T
from ..lang.checker import CheckEnv, NameInfo, check_expr, suggest
from ..lang.compile import constant_value
from ..lang.parser import ExprSyntaxError, parse_expr
from ..lang.runtime import EvalFailure
from ..resources import schema_path
from ..schemacheck import strict_validator
from ..yamlsource import Document, expression_span, format_path
from .model import Decision, Expr, Parameter, PolicyModel, Rule, SourceRef, Template

POLICY_FILE = "policy.yaml"
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@lru_cache(maxsize=1)
def _policy_validator():
    with open(schema_path("policy.schema.json"), encoding="utf-8") as fh:
        return strict_validator(json.load(fh))  # patterns match the whole value


def build_model(doc: Document, case_schema: CaseSchema | None = None) -> PolicyModel:
    """The checked model of a policy file; its expressions are checked against the
    case schema's types (the bundled case schema unless another is given)."""
    problems: list[Diagnostic] = list(_schema_problems(doc))
    if problems:
        raise IcpolicyError(problems)
    return _Builder(doc, case_schema or bundled_case_schema()).build()


def _schema_problems(doc: Document):
    if not isinstance(doc.data, dict):
        yield Diagnostic("E-SCHEMA", "a policy file is a mapping with id, version, title and decisions", doc.span(()))
        return
    for error in _policy_validator().iter_errors(doc.data):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            allowed = list(error.schema.get("properties", {}))
            known = set(error.instance) - set(allowed) if isinstance(error.instance, dict) else set()
            for key in sorted(known):
                yield Diagnostic(
                    "E-SCHEMA",
                    f"unknown field '{key}'",
                    doc.span(path + (key,), key=True),
                    suggest(key, allowed),
                    field=format_path(path + (key,)),
                )
            continue
        if error.validator == "oneOf" and path and path[0] == "decisions":
            message = "a decision has either `value` (computed), or `default` and `rules`"
        elif error.validator == "type":
            wanted = error.validator_value if isinstance(error.validator_value, str) else " or ".join(error.validator_value)
            got = error.instance
            shown = "null" if got is None else (str(got).lower() if isinstance(got, bool) else str(got) if not isinstance(got, (dict, list)) else type(got).__name__)
            message = f"expected {wanted}, got {shown}"
            if wanted == "string" and not isinstance(got, (dict, list)):
                message += f' (write it in quotes: "{shown}")'

        elif error.validator == "required":
            message = error.message.replace("is a required property", "is required")
        else:
            message = error.message
        yield Diagnostic("E-SCHEMA", message, doc.span(path), field=format_path(path) or None)


class _Builder:
    def __init__(self, doc: Document, case_schema: CaseSchema):
        self.doc = doc
        self.data = doc.data
        self.problems: list[Diagnostic] = []
        self.case_type = case_schema.types
        self.project_type = self.case_type.field("projects").item

    # -- helpers -----------------------------------------------------------------
    def fail(self, code, message, path, help=None):
        self.problems.append(Diagnostic(code, message, self.doc.span(path), help))

    def expr(self, path: tuple) -> Expr | None:
        raw = self.doc.data
        for part in path:
            raw = raw[part]
        text = raw if isinstance(raw, str) else ("true" if raw is True else "false" if raw is False else str(raw))
        try:
            node = parse_expr(text)
        except ExprSyntaxError as exc:
            span = expression_span(self.doc, path, exc.line, exc.col)
            self.problems.append(Diagnostic("E-SYNTAX", exc.message, span, exc.help))
            return None
        return Expr(text, node, path)

    def report(self, expr: Expr, checked) -> None:
        for p in checked.problems:
            if p.pos is not None:
                span = expression_span(self.doc, expr.path, p.pos.line, p.pos.col, p.pos.end_line, p.pos.end_col)
            else:
                span = self.doc.span(expr.path)
            self.problems.append(Diagnostic(p.code, p.message, span, p.help))

    def source(self, raw: dict | None) -> SourceRef | None:
        if raw is None:
            return None
        title = self.data.get("sources", {}).get(raw["ref"], {}).get("title")
        return SourceRef(raw["ref"], raw["quote"], raw.get("section"), raw.get("interpretation"), title)

    # -- the stages ----------------------------------------------------------------
    def build(self) -> PolicyModel:
        d = self.data
        model = PolicyModel(
            id=d["id"],
            version=str(d["version"]),
            title=d["title"],
            file=self.doc.name,
            sha256=hashlib.sha256(self.doc.text.encode("utf-8")).hexdigest(),
            effective_from=d.get("effective_from"),
            effective_to=d.get("effective_to"),
            note=d.get("note"),
            description=d.get("description"),
            sources=d.get("sources", {}),
        )
        self.check_sources()
        self.build_parameters(model)
        self.declare_nodes(model)
        self.check_names_unique(model)
        if self.problems:
            raise IcpolicyError(self.problems)
        self.check_nodes(model)
        if not self.problems:
            self.order_nodes(model)
        if self.problems:
            raise IcpolicyError(self.problems)
        return model

    def check_sources(self):
        known = self.data.get("sources", {})
        for path, raw in _walk_sources(self.data):
            if raw["ref"] not in known:
                self.fail("E-SOURCE", f"unknown source '{raw['ref']}'", path + ("ref",), suggest(raw["ref"], known))

    def build_parameters(self, model: PolicyModel):
        env = CheckEnv(globals={})
        for name, raw in self.data.get("parameters", {}).items():
            path = ("parameters", name, "value")
            expr = self.expr(path)
            if expr is None:
                continue
            checked = check_expr(expr.node, env)
            if checked.problems:
                for p in checked.problems:
                    if p.code == "E-NAME" and p.help is None:
                        p.help = "a parameter is a constant: it may use only literals and earlier parameters"
                self.report(expr, checked)
                continue
            try:
                value = constant_value(expr.node, checked)
            except EvalFailure as exc:
                self.fail("E-PARAM", f"parameter '{name}': {exc}", path)
                continue
            typ = checked.type
            unit = raw.get("unit")
            if unit and not _unit_fits(unit, typ):
                self.fail("E-PARAM", f"parameter '{name}' has unit {unit} but its value is {typ}", ("parameters", name, "unit"))
            expr.type = typ
            model.parameters[name] = Parameter(
                name, expr, value, typ, self.source(raw["source"]), unit, raw.get("description")
            )
            env.globals[name] = NameInfo(typ, "param", value)

    def declare_nodes(self, model: PolicyModel):
        for name, raw in self.data.get("definitions", {}).items():
            scope = "project" if raw.get("for_each") else "case"
            model.nodes[name] = Decision(
                name, None, scope, output=False, description=raw.get("description"), path=("definitions", name)
            )
        for name, raw in self.data.get("decisions", {}).items():
            scope = "project" if raw.get("for_each") else "case"
            values = tuple(raw["values"]) if "values" in raw else None
            if values and raw["type"] != "string":
                self.fail("E-SCHEMA", "`values` is only for decisions of type string", ("decisions", name, "values"))
            typ = T.Str(frozenset(values)) if values else T.DECLARED_TYPES[raw["type"]]
            if name in model.nodes:
                self.fail("E-NAME", f"'{name}' is both a definition and a decision", ("decisions", name))
                continue
            model.nodes[name] = Decision(
                name,
                typ,
                scope,
                output=True,
                source=self.source(raw.get("source")),
                description=raw.get("description"),
                values=values,
                path=("decisions", name),
            )

    def check_names_unique(self, model: PolicyModel):
        case_fields = set(self.case_type.names())
        project_fields = set(self.project_type.names())
        for name in model.parameters:
            if name in case_fields:
                self.fail("E-NAME", f"parameter '{name}' has the name of a case field", ("parameters", name))
        for name, node in model.nodes.items():
            if name in case_fields or name in model.parameters or name == "project":
                self.fail("E-NAME", f"'{name}' is already the name of a case field or parameter", node.path)
            if node.scope == "project" and name in project_fields:
                self.fail("E-NAME", f"'{name}' is already a field of each project", node.path)
        seen: dict[str, tuple] = {}
        for name, raw in self.data.get("decisions", {}).items():
            for i, rule in enumerate(raw.get("rules", [])):
                path = ("decisions", name, "rules", i, "id")
                if rule["id"] in seen:
                    self.fail("E-RULE", f"rule id {rule['id']} is used twice (also at line {self.doc.span(seen[rule['id']]).line})", path)
                seen[rule["id"]] = path

    def env(self, model: PolicyModel, in_project: bool) -> CheckEnv:
        globals_ = {name: NameInfo(typ, "case") for name, typ in self.case_type.fields}
        for name, p in model.parameters.items():
            globals_[name] = NameInfo(p.type, "param", p.value)
        project_names = {}
        extra = {}
        for name, node in model.nodes.items():
            if node.type is None:
                continue  # a definition not typed yet (checked in dependency order)
            if node.scope == "case":
                globals_[name] = NameInfo(node.type, "computed")
            else:
                project_names[name] = NameInfo(node.type, "project_computed")
                extra[name] = node.type
        # Each project, as seen from the case, carries its per-project decisions.
        project_record = self.project_type.with_fields(extra)
        globals_["projects"] = NameInfo(T.ListOf(project_record), "case")
        reserved = frozenset(model.nodes) | frozenset(model.parameters)
        return CheckEnv(globals_, project_names, project_record.name, in_project, reserved)

    def check_nodes(self, model: PolicyModel):
        definitions = self.data.get("definitions", {})
        for name in _definition_order(definitions, self):
            node = model.nodes[name]
            expr = self.expr(node.path + ("value",))
            if expr is None:
                continue
            checked = check_expr(expr.node, self.env(model, node.scope == "project"))
            self.report(expr, checked)
            expr.type, expr.checked = checked.type, checked
            node.value = expr
            node.type = checked.type
            model.deps[name] = checked.deps
        for name, raw in self.data.get("decisions", {}).items():
            self.check_decision(model, model.nodes[name], raw)

    def typed(self, model, node: Decision, path: tuple, want: T.Type | None, what: str) -> tuple[Expr | None, set]:
        expr = self.expr(path)
        if expr is None:
            return None, set()
        checked = check_expr(expr.node, self.env(model, node.scope == "project"))
        self.report(expr, checked)
        if checked.type is not None and want is not None and not checked.problems and not _fits(want, checked.type):
            self.fail("E-TYPE", f"{what} is {checked.type}, but '{node.name}' is {want}", path)
        expr.type, expr.checked = checked.type, checked
        self.check_literal_values(node, expr)
        return expr, checked.deps

    def check_literal_values(self, node: Decision, expr: Expr):
        if not node.values:
            return
        if expr.checked is not None and not expr.checked.problems:
            from ..lang.compile import compile_expr

            compiled = compile_expr(expr.node, expr.checked)
            if compiled.is_constant and compiled.constant not in node.values:
                self.fail(
                    "E-ENUM",
                    f"{compiled.constant!r} is not a value of '{node.name}' (one of {' | '.join(node.values)})",
                    expr.path,
                    suggest(str(compiled.constant), node.values),
                )
                return
        for sub in ast.walk(expr.node):
            if isinstance(sub, ast.Literal) and sub.kind == "string" and sub.value not in node.values:
                is_result = _is_result_literal(expr.node, sub)
                if is_result:
                    span = expression_span(self.doc, expr.path, sub.pos.line, sub.pos.col) if sub.pos else self.doc.span(expr.path)
                    self.problems.append(
                        Diagnostic(
                            "E-ENUM",
                            f"{sub.value!r} is not a value of '{node.name}' (one of {' | '.join(node.values)})",
                            span,
                            suggest(sub.value, node.values),
                        )
                    )

    def check_decision(self, model: PolicyModel, node: Decision, raw: dict):
        base = node.path
        deps: set = set()
        if "value" in raw:
            node.value, d = self.typed(model, node, base + ("value",), node.type, "the value")
            deps |= d
        else:
            node.default, d = self.typed(model, node, base + ("default",), node.type, "the default")
            deps |= d
        explain_deps: set = set()
        if "explanation" in raw:
            node.explanation, d = self.template(model, node, base + ("explanation",))
            explain_deps |= d
        ids = [r["id"] for r in raw.get("rules", [])]
        for i, rraw in enumerate(raw.get("rules", [])):
            rpath = base + ("rules", i)
            when = None
            if "when" in rraw:
                when, d = self.typed(model, node, rpath + ("when",), T.BOOL, "the condition")
                deps |= d
            value, d = self.typed(model, node, rpath + ("value",), node.type, "the value")
            deps |= d
            explanation, d = self.template(model, node, rpath + ("explanation",))
            explain_deps |= d
            overrides = rraw.get("overrides", ())
            if overrides != "all":
                for j, target in enumerate(overrides):
                    if target not in ids:
                        self.fail("E-RULE", f"'{target}' is not a rule of '{node.name}'", rpath + ("overrides", j), suggest(target, ids))
                    elif target == rraw["id"]:
                        self.fail("E-RULE", "a rule cannot override itself", rpath + ("overrides", j))
                overrides = tuple(overrides)
            if value is None:
                continue
            node.rules.append(
                Rule(rraw["id"], when, value, self.source(rraw["source"]), explanation, overrides, rraw.get("description"), rpath)
            )
        model.deps[node.name] = deps
        # Explanations may show other values (and the decision's own): computed on demand.
        model.explain_deps[node.name] = explain_deps - {node.name}
        self.check_static_conflicts(node)
        self.check_override_cycles(node)

    def check_override_cycles(self, node: Decision):
        """Rules that override each other (directly or round a circle) and give different
        constant values: when they all fire, none would be left. (Several exceptions that
        each override all the rest but agree, like two `false` exemptions, are fine.)"""
        for group in _override_circles(node.rules):
            values = [_literal(r.value.node) for r in group]
            if _NOT_CONST in values or len({repr(v) for v in values}) < 2:
                continue
            names = ", ".join(r.id for r in group[:-1]) + f" and {group[-1].id}"
            shown = ", ".join(_shown(v) for v in values)
            self.fail(
                "E-RULE",
                f"rules {names} of '{node.name}' override each other and give different values ({shown})",
                group[-1].path + ("overrides",),
                "only one of them can win: remove the override from the others",
            )

    def check_static_conflicts(self, node: Decision):
        """Two rules with different constant values, neither overriding the other."""
        for i, a in enumerate(node.rules):
            for b in node.rules[i + 1 :]:
                va, vb = _literal(a.value.node), _literal(b.value.node)
                if va is _NOT_CONST or vb is _NOT_CONST or va == vb:
                    continue
                if _overrides(a, b) or _overrides(b, a):
                    continue
                self.fail(
                    "E-CONFLICT",
                    f"rules {a.id} and {b.id} of '{node.name}' give different values ({_shown(va)}, {_shown(vb)}) and neither overrides the other",
                    b.path + ("id",),
                    f"add `overrides: [{a.id}]` to {b.id} (or the reverse) to say which one wins",
                )

    def template(self, model, node: Decision, path: tuple) -> tuple[Template | None, set]:
        raw = self.data
        for part in path:
            raw = raw[part]
        out = Template(raw, path)
        deps: set = set()
        last = 0
        for match in _PLACEHOLDER.finditer(raw):
            out.parts.append(raw[last : match.start()])
            text = match.group(1)
            start = match.start(1)

            def place(line, col, start=start, text=text):
                # (line, col) inside the placeholder -> a span in the file.
                index = start + sum(len(x) + 1 for x in text.split("\n")[: line - 1]) + col - 1
                before = raw[:index]
                return expression_span(self.doc, path, before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1)

            try:
                expr_node = parse_expr(text)
            except ExprSyntaxError as exc:
                self.problems.append(
                    Diagnostic("E-SYNTAX", f"in the placeholder {{{text}}}: {exc.message}", place(exc.line, exc.col), exc.help)
                )
                last = match.end()
                continue
            checked = check_expr(expr_node, self.env(model, node.scope == "project"))
            for p in checked.problems:
                where = place(p.pos.line, p.pos.col) if p.pos else self.doc.span(path)
                self.problems.append(Diagnostic(p.code, f"in the placeholder {{{text}}}: {p.message}", where, p.help))
            expr = Expr(text, expr_node, path, checked.type, checked)
            out.parts.append(expr)
            deps |= checked.deps
            last = match.end()
        out.parts.append(raw[last:])
        return out, deps

    def order_nodes(self, model: PolicyModel):
        order: list[str] = []
        state: dict[str, int] = {}
        stack: list[str] = []

        def visit(name: str):
            if state.get(name) == 2:
                return
            if state.get(name) == 1:
                cycle = stack[stack.index(name) :] + [name]
                node = model.nodes[name]
                self.problems.append(Diagnostic(
                    "E-CYCLE",
                    "decisions depend on each other in a cycle: " + " -> ".join(cycle),
                    self.doc.span(node.path, key=True),
                    "a decision cannot depend, directly or through others, on itself",
                ))
                return
            state[name] = 1
            stack.append(name)
            for dep in sorted(model.deps.get(name, ())):
                if dep in model.nodes:
                    visit(dep)
            stack.pop()
            state[name] = 2
            order.append(name)

        for name in model.nodes:
            visit(name)
        model.order = order


def _definition_order(definitions: dict, builder: _Builder) -> list[str]:
    """Definitions in an order where each comes after the definitions it names."""
    refs = {}
    for name in definitions:
        value = definitions[name]["value"]
        text = value if isinstance(value, str) else str(value)
        try:
            node = parse_expr(text)
        except ExprSyntaxError:
            refs[name] = set()
            continue
        used = {n.name for n in ast.walk(node) if isinstance(n, ast.Name)}
        used |= {n.name for n in ast.walk(node) if isinstance(n, ast.Field)}
        refs[name] = {n for n in used if n in definitions and n != name}
    order, state = [], {}

    def visit(name, chain):
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            cycle = chain[chain.index(name) :] + [name]
            builder.fail("E-CYCLE", "definitions depend on each other in a cycle: " + " -> ".join(cycle), ("definitions", name))
            return
        state[name] = 1
        for dep in sorted(refs[name]):
            visit(dep, chain + [name])
        state[name] = 2
        order.append(name)

    for name in definitions:
        visit(name, [])
    return order


_NOT_CONST = object()


def _shown(value) -> str:
    from ..engine.format import show

    return repr(value) if isinstance(value, str) else show(value)


def _literal(node: ast.Node):
    return node.value if isinstance(node, ast.Literal) else _NOT_CONST


def _overrides(a: Rule, b: Rule) -> bool:
    return a.overrides == "all" or b.id in a.overrides


def _override_circles(rules: list[Rule]) -> list[list[Rule]]:
    """The groups of two or more rules that override one another round a circle (each
    reaches every other through `overrides`), in file order."""
    reach = {r.id: {o.id for o in rules if o is not r and _overrides(r, o)} for r in rules}
    changed = True
    while changed:  # transitive closure; decisions have a handful of rules
        changed = False
        for ids in reach.values():
            more = set().union(*(reach[i] for i in ids)) - ids
            if more:
                ids |= more
                changed = True
    groups: list[list[Rule]] = []
    seen: set = set()
    for rule in rules:
        if rule.id in seen:
            continue
        group = [o for o in rules if o.id == rule.id or (o.id in reach[rule.id] and rule.id in reach[o.id])]
        seen.update(o.id for o in group)
        if len(group) > 1:
            groups.append(group)
    return groups


def _is_result_literal(root: ast.Node, lit: ast.Literal) -> bool:
    """Whether a string literal can be the expression's result (not a comparison operand)."""
    if root is lit:
        return True
    if isinstance(root, ast.IfExpr):
        return _is_result_literal(root.then, lit) or _is_result_literal(root.other, lit)
    return False


def _fits(want: T.Type, got: T.Type) -> bool:
    """Whether a value of type `got` may be the value of a decision of type `want`."""
    if T.unify(want, got) == want:
        return True
    # A string from the case cannot be checked against the decision's values here.
    return isinstance(want, T.Str) and isinstance(got, T.Str) and got.values is None


def _unit_fits(unit: str, typ: T.Type) -> bool:
    expected = {
        "NOK": T.MONEY,
        "share": T.SHARE,
        "years": T.DURATION,
        "days": T.DURATION,
        "number": T.NUMBER,
    }.get(unit)
    if expected is not None:
        return typ == expected
    if unit in ("string", "country"):
        return isinstance(typ, T.Str)
    if unit == "date":
        return typ == T.DATE
    return isinstance(typ, T.ListOf)


def _walk_sources(data: dict):
    for name, raw in data.get("parameters", {}).items():
        if isinstance(raw, dict) and "source" in raw:
            yield ("parameters", name, "source"), raw["source"]
    for name, raw in data.get("decisions", {}).items():
        if "source" in raw:
            yield ("decisions", name, "source"), raw["source"]
        for i, rule in enumerate(raw.get("rules", [])):
            yield ("decisions", name, "rules", i, "source"), rule["source"]

