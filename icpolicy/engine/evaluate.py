"""Stage: checked policy model -> compiled policy that decides many cases.

`CompiledPolicy(model, doc)` compiles every expression to a closure once. Then
`evaluate(case)` normalizes the case (exact decimals, dates, defaults) and runs
the decisions in dependency order: definitions and decisions of the case, and
per-project ones for each project. Only what was asked, and what it depends on,
is evaluated. Tracing is not on this path: the rules that fired are recorded as
ids, and explanations are rendered only when a result is shown.
"""

from __future__ import annotations

from ..cases.schema import BAD, check_unique_ids, compile_normalizer, load_case_schema
from ..diagnostics import Diagnostic, IcpolicyError
from ..lang.compile import FailureAt, compile_expr
from ..lang.runtime import EvalFailure
from ..policy.model import Decision, Expr, PolicyModel
from ..yamlsource import Document, expression_span, format_path
from .result import Result


class EvaluationError(IcpolicyError):
    """A case could not be decided: a missing value, a division by zero, a conflict."""


class _Failure(Exception):
    """Carries a failure out of a runner together with the expression that failed."""

    def __init__(self, message: str, expr: Expr | None, pos, rule_id: str | None, decision: str):
        super().__init__(message)
        self.message, self.expr, self.pos, self.rule_id, self.decision = message, expr, pos, rule_id, decision


class CompiledPolicy:
    """A loaded, checked and compiled policy. Safe to share between threads:
    evaluation state lives in each call's own dictionaries."""

    def __init__(self, model: PolicyModel, doc: Document):
        self.model = model
        self.doc = doc
        self._normalize = compile_normalizer(load_case_schema())
        self._runners = {name: _make_runner(node) for name, node in model.nodes.items()}
        self._scope = {name: node.scope for name, node in model.nodes.items()}
        self._templates = {}
        self._plans: dict = {}
        self.output_names = [d.name for d in model.decisions()]
        self.case_outputs = [d.name for d in model.decisions() if d.scope == "case"]
        self.project_outputs = [d.name for d in model.decisions() if d.scope == "project"]
        self.meta = {"id": model.id, "version": model.version, "sha256": model.sha256}
        self._full_plan = self.plan(None)

    # -- planning ------------------------------------------------------------------
    def plan(self, names):
        """The steps that decide `names` (all decisions when None), dependencies first."""
        key = None if names is None else tuple(sorted(names))
        cached = self._plans.get(key)
        if cached is not None:
            return cached
        model = self.model
        if names is None:
            wanted = set(model.nodes)
        else:
            unknown = [n for n in names if n not in model.nodes]
            if unknown:
                from ..lang.checker import suggest

                raise IcpolicyError(
                    [
                        Diagnostic("E-DECISION", f"unknown decision '{n}'", help=suggest(n, model.nodes))
                        for n in unknown
                    ]
                )
            wanted = set()
            todo = list(names)
            while todo:
                name = todo.pop()
                if name not in wanted:
                    wanted.add(name)
                    todo.extend(model.deps.get(name, ()))
        steps = []
        for name in model.order:
            if name not in wanted:
                continue
            scope = self._scope[name]
            if scope == "project" and steps and steps[-1][0] == "project":
                steps[-1][1].append((name, self._runners[name]))
            else:
                steps.append((scope, [(name, self._runners[name])]))
        plan = (tuple((scope, tuple(runs)) for scope, runs in steps), frozenset(wanted))
        self._plans[key] = plan
        return plan

    # -- evaluation ----------------------------------------------------------------
    def normalize(self, case, doc: Document | None = None) -> dict:
        """Check a case document and convert it; raise IcpolicyError naming each bad field."""
        problems: list = []
        out = self._normalize(case, (), problems)
        if out is not BAD and not problems:
            check_unique_ids(out, problems)
        if problems:
            raise IcpolicyError([_case_problem(path, message, doc) for path, message in problems])
        return out

    def evaluate(self, case, decisions=None, doc: Document | None = None) -> Result:
        """Decide a case (a mapping shaped like a case document)."""
        env = self.normalize(case, doc)
        steps, wanted = self.plan(decisions)
        fired: dict = {}
        project_fired = [{} for _ in env["projects"]]
        try:
            _run(steps, env, fired, project_fired)
        except _Failure as failure:
            raise self._evaluation_error(env, failure, doc) from None
        names = self.output_names if decisions is None else [n for n in self.output_names if n in wanted]
        return Result(self, env, fired, project_fired, names)

    def ensure(self, names, env, fired, project_fired) -> None:
        """Evaluate whatever of `names` (and their dependencies) is not decided yet."""
        missing = [n for n in names if n in self._scope and not _decided(n, self._scope[n], env)]
        if not missing:
            return
        steps, _ = self.plan(missing)
        todo = tuple(
            (scope, tuple((n, r) for n, r in runs if not _decided(n, scope, env)))
            for scope, runs in steps
        )
        try:
            _run(todo, env, fired, project_fired)
        except _Failure as failure:
            raise self._evaluation_error(env, failure, None) from None

    def template(self, node: Decision, template):
        """Compiled parts of an explanation template (compiled on first use)."""
        key = id(template)
        parts = self._templates.get(key)
        if parts is None:
            parts = [
                part if isinstance(part, str) else (compile_expr(part.node, part.checked).fn, part.type)
                for part in template.parts
            ]
            self._templates[key] = parts
        return parts

    def _evaluation_error(self, env, failure: _Failure, doc) -> EvaluationError:
        where = None
        if failure.expr is not None:
            if failure.pos is not None:
                where = expression_span(self.doc, failure.expr.path, failure.pos.line, failure.pos.col)
            else:
                where = self.doc.span(failure.expr.path)
        rule = f", rule {failure.rule_id}" if failure.rule_id else ""
        message = f"case {env.get('id')!r}: decision '{failure.decision}'{rule}: {failure.message}"
        return EvaluationError(Diagnostic("E-EVAL", message, where))


def _decided(name, scope, env) -> bool:
    if scope == "case":
        return name in env
    projects = env["projects"]
    return not projects or name in projects[0]


def _run(steps, env, fired, project_fired):
    for scope, runs in steps:
        if scope == "case":
            for name, run in runs:
                env[name], ids = run(env)
                if ids:
                    fired[name] = ids
        else:
            for project, pfired in zip(env["projects"], project_fired, strict=True):
                env["project"] = project
                for name, run in runs:
                    project[name], ids = run(env)
                    if ids:
                        pfired[name] = ids


def _case_problem(path, message, doc: Document | None) -> Diagnostic:
    field = format_path(path) or None
    span = doc.span(path, key=message.startswith("unknown field")) if doc is not None else None
    return Diagnostic("E-CASE", message, span, field=field)


_EMPTY = ()


def _make_runner(node: Decision):
    """One closure per decision: env -> (value, ids of the rules that decided it)."""
    name = node.name
    if node.value is not None:
        fn = _compiled(node.value, node)
        expr = node.value

        def run_value(env):
            try:
                return fn(env), _EMPTY
            except FailureAt as exc:
                raise _Failure(str(exc), expr, exc.pos, None, name) from None
            except EvalFailure as exc:
                raise _Failure(str(exc), expr, None, None, name) from None

        return run_value

    default = _compiled(node.default, node)
    rules = []
    for rule in node.rules:
        cond = _compiled(rule.when, node) if rule.when is not None else None
        rules.append((cond, _compiled(rule.value, node), rule.id))
    rules = tuple(rules)
    ids = [r.id for r in node.rules]
    beats = {
        r.id: frozenset(ids if r.overrides == "all" else r.overrides) - {r.id} for r in node.rules
    }
    exprs = {r.id: (r.when, r.value) for r in node.rules}

    def resolve(env, hits):
        values = {}
        for _, value_fn, rid in hits:
            values[rid] = value_fn(env)
        # A rule is set aside when a fired rule that overrides it gives another value.
        kept = [
            rid
            for rid in values
            if not any(rid in beats[other] and values[other] != values[rid] for other in values)
        ]
        distinct = {values[rid] for rid in kept}
        if len(distinct) > 1:
            shown = ", ".join(f"{rid} gives {values[rid]!r}" for rid in kept)
            raise EvalFailure(f"conflicting rules: {shown}; neither overrides the other")
        return values[kept[0]], tuple(kept)

    def run_rules(env):
        current = None
        part = 0
        try:
            hits = None
            for rule in rules:
                current, part = rule[2], 0
                cond = rule[0]
                if cond is None or cond(env):
                    if hits is None:
                        hits = [rule]
                    else:
                        hits.append(rule)
            if hits is None:
                current = None
                return default(env), _EMPTY
            if len(hits) == 1:
                current, part = hits[0][2], 1
                return hits[0][1](env), (hits[0][2],)
            part = 1
            current = None
            return resolve(env, hits)
        except FailureAt as exc:
            expr = _expr_for(node, exprs, current, part)
            raise _Failure(str(exc), expr, exc.pos, current, name) from None
        except EvalFailure as exc:
            expr = _expr_for(node, exprs, current, part)
            raise _Failure(str(exc), expr, None, current, name) from None

    return run_rules


def _expr_for(node: Decision, exprs, rule_id, part):
    if rule_id is None:
        return node.default
    when, value = exprs[rule_id]
    return value if part == 1 or when is None else when


def _compiled(expr: Expr, node: Decision):
    return compile_expr(expr.node, expr.checked).fn


__all__ = ["CompiledPolicy", "EvaluationError"]
