"""Stage: checked policy model -> compiled policy that decides many cases.

`CompiledPolicy(model, doc)` compiles every expression to a closure once. Then
`evaluate(case)` normalizes the case (exact decimals, dates, defaults) and runs
the decisions in dependency order: the case's decisions, and per-project ones for
each project. Case-level definitions are computed on first use, at most once per
case. Only what was asked, and what it depends on, is evaluated (and only the
parts of the case those read are normalized). Tracing is not on this path: the
rules that fired are recorded as ids, and explanations are rendered only when a
result is shown.
"""

from __future__ import annotations

from ..cases.normalize import check_unique_ids
from ..cases.schema import CaseSchema, bundled_case_schema
from ..diagnostics import Diagnostic, IcpolicyError
from ..lang import ast
from ..lang.checker import suggest
from ..lang.compile import FailureAt, compile_expr
from ..lang.runtime import EvalFailure
from ..policy.model import Decision, Expr, PolicyModel, Template
from ..yamlsource import Document, expression_span, format_path
from .result import Result
from .ruleplan import plan_rules


class EvaluationError(IcpolicyError):
    """A case could not be decided: a missing value, a division by zero, a conflict."""


class _Failure(EvalFailure):
    """Carries a failure out of a runner together with the expression that failed."""

    def __init__(self, message: str, expr: Expr | None, pos, rule_id: str | None, decision: str):
        super().__init__(message)
        self.message, self.expr, self.pos, self.rule_id, self.decision = message, expr, pos, rule_id, decision


class PreparedCase:
    """A case already checked and converted, to evaluate many times (or under many policies)."""

    __slots__ = ("data", "doc", "day")

    def __init__(self, data: dict, doc: Document | None = None):
        self.data = data  # read only: evaluations copy what they write
        self.doc = doc
        self.day = data.get("date")  # picks the version in force


class CompiledPolicy:
    """A loaded, checked and compiled policy. Safe to share between threads:
    evaluation state lives in each call's own dictionaries."""

    def __init__(self, model: PolicyModel, doc: Document, tracer=None, case_schema: CaseSchema | None = None):
        self.model = model
        self.doc = doc
        # The case schema is an input (the bundled one unless given), compiled once per process.
        self._normalize = (case_schema or bundled_case_schema()).normalizer
        self._scope = {name: node.scope for name, node in model.nodes.items()}
        # Case-level definitions are lazy: a holder per name (compute, wrap a failure,
        # whether it can never fail, whether to compute it in place, its field test),
        # filled below; lang/compile.py names the slots.
        self._lazy = {
            name: [None, None, False, False, None]
            for name, node in model.nodes.items()
            if not node.output and node.scope == "case"
        }
        # Definitions first, dependencies before their users: a definition that is one
        # plain test (`supplier.country != home_country`) is then read in place.
        for name in sorted(self._lazy, key=_position(model.order)):
            holder = self._lazy[name]
            node = model.nodes[name]
            hooks = tracer.expression_hooks(node.value) if tracer is not None and hasattr(tracer, "expression_hooks") else None
            compiled = compile_expr(node.value.node, node.value.checked, self._lazy, hooks)
            holder[0], holder[1], holder[2] = compiled.fn, _failure_in(node), compiled.total
            holder[3] = hooks is None and compiled.total and _plain_tests(node.value.node)
            holder[4] = compiled.field_test
        self._runners = {name: _make_runner(node, model, self._lazy, tracer) for name, node in model.nodes.items()}
        self._fields = {name: _case_fields(node) for name, node in model.nodes.items()}
        self._templates: dict = {}
        self._plans: dict = {}
        # Plan key -> a function deciding a case (given as its own env dict) in one
        # call, for plans with case-level steps only (`decisions=["ica_required"]`).
        self.case_level_deciders: dict = {}
        self.output_names = [d.name for d in model.decisions()]
        self.rules_by_id = {node.name: {r.id: r for r in node.rules} for node in model.decisions()}
        self.meta = {"id": model.id, "version": model.version, "sha256": model.sha256}
        self.plan(None)

    # -- planning ------------------------------------------------------------------
    def plan(self, names):
        """The plan deciding `names` (all decisions when None): (steps, wanted names,
        case fields read, output names, whether any step runs per project, the runs
        when none does)."""
        key = None if names is None else tuple(names)
        cached = self._plans.get(key)
        if cached is not None:
            return cached
        self._check_names(names)
        plan = self._plans[key] = self._make_plan(names, key)
        if not plan[4]:
            self.case_level_deciders[key] = self._case_level_decider(plan[5], plan[3])
        return plan

    def _check_names(self, names) -> None:
        model = self.model
        if names is not None:
            outputs = [d.name for d in model.decisions()]
            unknown = [n for n in names if n not in outputs]
            if unknown:
                raise IcpolicyError(
                    [
                        Diagnostic(
                            "E-DECISION",
                            f"'{n}' is a definition, not a decision" if n in model.nodes else f"unknown decision '{n}'",
                            help=suggest(n, outputs),
                        )
                        for n in unknown
                    ]
                )

    def _make_plan(self, names, key):
        """Plan any names, definitions included (for explanations); cached."""
        cached = self._plans.get(("internal", key))
        if cached is not None:
            return cached
        model = self.model
        wanted = _closure(model, model.nodes if names is None else names, explain=False)
        shown = _closure(model, wanted, explain=True)  # what explanations may show too
        steps: list = []
        for name in model.order:
            if name not in wanted or name in self._lazy:
                continue
            scope = self._scope[name]
            if steps and steps[-1][0] == scope:
                steps[-1][1].append((name, self._runners[name]))
            else:
                steps.append((scope, [(name, self._runners[name])]))
        fields = {"id"}
        for name in shown:
            fields |= self._fields[name]
            if self._scope[name] == "project":
                fields.add("projects")
        only = None if names is None else frozenset(fields)
        outputs = [n for n in self.output_names if n in wanted] if names is not None else self.output_names
        per_project = any(scope == "project" for scope, _ in steps)
        # Without per-project steps there is at most one step, of case-level runs.
        case_runs = () if per_project or not steps else tuple(steps[0][1])
        plan = (
            tuple((scope, tuple(runs)) for scope, runs in steps),
            frozenset(wanted),
            only,
            outputs,
            per_project,
            case_runs,
        )
        self._plans[("internal", key)] = plan
        return plan

    # -- evaluation ----------------------------------------------------------------
    def normalize(self, case, doc: Document | None = None, only: frozenset | None = None) -> dict:
        """Check a case document and convert it; raise IcpolicyError naming each bad field."""
        out, problems = self._normalize(case, only)
        if not problems:
            check_unique_ids(out, problems)
        if problems:
            raise IcpolicyError([_case_problem(path, message, doc) for path, message in problems])
        if out.get("projects") is None:
            out["projects"] = []
        return out

    def prepare(self, case, doc: Document | None = None) -> PreparedCase:
        """Check and convert a case once, to evaluate it many times."""
        return PreparedCase(self.normalize(case, doc), doc)

    def evaluate(self, case, decisions=None, doc: Document | None = None) -> Result:
        """Decide a case: a mapping shaped like a case document, or a PreparedCase."""
        if type(decisions) is str:
            decisions = (decisions,)
        key = None if decisions is None else tuple(decisions)
        decide = self.case_level_deciders.get(key)
        if decide is None:
            plan = self.plan(decisions)
            decide = self.case_level_deciders.get(key)
        if decide is not None:
            if type(case) is PreparedCase:
                # The decider writes into its own copy; the projects stay the case's
                # own until an explanation needs to write into them.
                return decide(case.data.copy())
            result = decide(self.normalize(case, doc, self._plans[key][2]))
            result._shared_projects = False  # the normalized projects are the result's own
            return result
        steps, _, only, outputs, _, _ = plan
        if type(case) is PreparedCase:
            # Evaluation writes decisions into the case's dicts: it gets its own copies.
            env = case.data.copy()
            env["projects"] = [dict(p) for p in env["projects"]]
        else:
            env = self.normalize(case, doc, only)
        fired: dict = {}
        project_fired = [{} for _ in env["projects"]]
        try:
            _run(steps, env, fired, project_fired)
        except _Failure as failure:
            raise self._evaluation_error(env, failure) from None
        return Result(self, env, fired, project_fired, outputs)

    def _case_level_decider(self, runs: tuple, outputs: list):
        """Decide a case when every step is case-level. The function takes the
        evaluation's own env (a copy of a prepared case, or a normalized document), runs
        each decision, and makes the result without calling Result.__init__: on this,
        the hot path, that call and its stores would be a tenth of the time."""
        policy = self
        # What every result of this decider shares is set once, on a subclass. The
        # projects are read only: a prepared case's stay its own until an explanation
        # needs to write into them (Result copies them first).
        shaped = type(
            "Result",
            (Result,),
            {"__module__": Result.__module__, "_policy": policy, "_names": outputs, "_shared_projects": True},
        )
        if len(runs) == 1:  # one decision asked for: no loop
            ((only, run_only),) = runs

            def decide_one(env):
                try:
                    env[only], ids = run_only(env)
                except _Failure as failure:
                    raise policy._evaluation_error(env, failure) from None
                result = _new_result(shaped)
                result._env, result._fired = env, {only: ids} if ids else {}
                return result

            return decide_one

        def decide(env):
            fired: dict = {}
            try:
                for name, run in runs:
                    env[name], ids = run(env)
                    if ids:
                        fired[name] = ids
            except _Failure as failure:
                raise policy._evaluation_error(env, failure) from None
            result = _new_result(shaped)
            result._env, result._fired = env, fired
            return result

        return decide

    def ensure(self, names, env, fired, project_fired) -> None:
        """Evaluate whatever of `names` (and their dependencies) is not decided yet.
        The projects in `env` must be its own (see Result.own_projects)."""
        missing = [n for n in names if n not in self._lazy and not _decided(n, self._scope[n], env)]
        if not missing:
            return
        steps = self._make_plan(missing, tuple(missing))[0]
        todo = tuple(
            (scope, tuple((n, r) for n, r in runs if not _decided(n, scope, env))) for scope, runs in steps
        )
        try:
            _run(todo, env, fired, project_fired)
        except _Failure as failure:
            raise self._evaluation_error(env, failure) from None

    def template(self, template: Template):
        """Compiled parts of an explanation template (compiled on first use)."""
        key = id(template)
        parts = self._templates.get(key)
        if parts is None:
            parts = [
                part if isinstance(part, str) else (compile_expr(part.node, part.checked, self._lazy).fn, part.type)
                for part in template.parts
            ]
            self._templates[key] = parts
        return parts

    def _evaluation_error(self, env, failure: _Failure) -> EvaluationError:
        where = None
        if failure.expr is not None:
            if failure.pos is not None:
                where = expression_span(self.doc, failure.expr.path, failure.pos.line, failure.pos.col)
            else:
                where = self.doc.span(failure.expr.path)
        rule = ""
        if failure.rule_id:
            rule = f", {'rules' if ',' in failure.rule_id else 'rule'} {failure.rule_id}"
        message = f"case {env.get('id')!r}: decision '{failure.decision}'{rule}: {failure.message}"
        return EvaluationError(Diagnostic("E-EVAL", message, where))


def _plain_tests(node) -> bool:
    """A few tests of fields and nothing else: computed in place rather than kept."""
    nodes = list(ast.walk(node))
    return len(nodes) <= 15 and not any(isinstance(n, ast.Call | ast.Lambda | ast.Binary) and getattr(n, "op", "") not in _TESTS for n in nodes)


_TESTS = {"==", "!=", "<", "<=", ">", ">=", "in", "not in"}


def _position(order: list):
    where = {name: i for i, name in enumerate(order)}
    return lambda name: where.get(name, len(where))


def _closure(model: PolicyModel, names, explain: bool) -> set:
    out: set = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name not in out:
            out.add(name)
            todo.extend(model.deps.get(name, ()))
            if explain:
                todo.extend(model.explain_deps.get(name, ()))
    return out


def _case_fields(node: Decision) -> set:
    """The top-level case fields a decision's expressions and explanations read."""
    exprs = [node.value, node.default]
    for rule in node.rules:
        exprs += [rule.when, rule.value]
        exprs += [p for p in rule.explanation.parts if isinstance(p, Expr)]
    if node.explanation is not None:
        exprs += [p for p in node.explanation.parts if isinstance(p, Expr)]
    fields = set()
    for expr in exprs:
        if expr is None:
            continue
        for sub in ast.walk(expr.node):
            if isinstance(sub, ast.Name):
                info = expr.checked.names.get(id(sub))
                if info is not None and info.kind == "case":
                    fields.add(sub.name)
    return fields


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
_new_result = object.__new__


def _always(env):
    return True


def _failure_in(node: Decision):
    """How a failure inside a lazily computed definition is reported."""

    def wrap(exc: EvalFailure) -> _Failure:
        if isinstance(exc, _Failure):
            return exc
        return _Failure(str(exc), node.value, getattr(exc, "pos", None), None, node.name)

    return wrap


def _make_runner(node: Decision, model: PolicyModel, lazy: dict, tracer=None):
    """One closure per decision: env -> (value, ids of the rules that decided it)."""
    run = _make_unchecked_runner(node, model, lazy, tracer)
    if not node.values:
        return run
    allowed = frozenset(node.values)
    shown = " | ".join(node.values)

    def run_checked(env):
        value, ids = run(env)
        if value not in allowed:
            expr = node.value or node.default
            raise _Failure(f"{value!r} is not one of the values of '{node.name}' ({shown})", expr, None, ", ".join(ids) or None, node.name)
        return value, ids

    return run_checked


def _make_unchecked_runner(node: Decision, model: PolicyModel, lazy: dict, tracer=None):
    """The runner proper (a string decision's values are checked around it).

    With a tracer (coverage), each rule's condition reports the value of each of its
    atomic conditions; without one, nothing is recorded."""
    name = node.name

    def compiled(expr: Expr, observe=None):
        if tracer is not None and hasattr(tracer, "expression_hooks"):
            observe = {**(observe or {}), **tracer.expression_hooks(expr)}
        return compile_expr(expr.node, expr.checked, lazy, observe).fn

    if node.value is not None:
        fn = compiled(node.value)
        expr = node.value

        def run_value(env):
            try:
                return fn(env), _EMPTY
            except _Failure:
                raise
            except FailureAt as exc:
                raise _Failure(str(exc), expr, exc.pos, None, name) from None
            except EvalFailure:
                raise _locate_failure(node, env, lazy) from None

        return run_value

    default = compiled(node.default)
    rules = tuple(
        (
            compiled(r.when, tracer.condition_hooks(node, r) if tracer and hasattr(tracer, "condition_hooks") else None)
            if r.when is not None
            else _always,
            compiled(r.value),
            r.id,
        )
        for r in node.rules
    )
    ids = [r.id for r in node.rules]
    beats = {r.id: frozenset(ids if r.overrides == "all" else r.overrides) - {r.id} for r in node.rules}

    def resolve(env, hits):
        values = {rid: value_fn(env) for _, value_fn, rid in hits}
        # A rule is set aside when a fired rule that overrides it gives another value.
        kept = [
            rid for rid in values if not any(rid in beats[other] and values[other] != values[rid] for other in values)
        ]
        if not kept:  # every fired rule set aside by another: they override each other
            shown = ", ".join(f"{rid} gives {values[rid]!r}" for rid in values)
            first = next(r for r in node.rules if r.id == next(iter(values)))
            raise _Failure(
                f"conflicting rules: {shown}; they override each other", first.value, None, ", ".join(values), name
            )
        if len({values[rid] for rid in kept}) > 1:
            shown = ", ".join(f"{rid} gives {values[rid]!r}" for rid in kept)
            first = next(r for r in node.rules if r.id == kept[1])
            raise _Failure(
                f"conflicting rules: {shown}; neither overrides the other", first.value, None, ", ".join(kept), name
            )
        return values[kept[0]], tuple(kept)

    def run_rules(env):
        try:
            hits = None
            for rule in rules:
                if rule[0](env):
                    if hits is None:
                        hits = [rule]
                    else:
                        hits.append(rule)
            if hits is None:
                return default(env), _EMPTY
            if len(hits) == 1:
                hit = hits[0]
                return hit[1](env), (hit[2],)
            return resolve(env, hits)
        except _Failure:
            raise
        except EvalFailure:
            raise _locate_failure(node, env, lazy) from None

    plan = plan_rules(node, model) if tracer is None else None
    if plan is not None and (plan.dominant is not None or plan.exclusive):
        return _planned_runner(node, lazy, rules, plan, default, resolve, run_rules)


    return run_rules


def _planned_runner(node: Decision, lazy: dict, rules: tuple, plan, default, resolve, full):
    """A runner that stops early where the rule plan proved that changes nothing.
    A rule whose value is a constant has its whole outcome made once, here. When
    something fails, `full` (every rule, in file order) runs instead, so the failure
    reported is the one a full evaluation meets first."""

    def outcome(index):
        is_constant, value = plan.constants[index]
        return (value, (rules[index][2],)) if is_constant else None

    def entries(indices):
        return tuple((*rules[i], (rules[i][2],), outcome(i)) for i in indices)

    first = rules[plan.dominant] if plan.dominant is not None else None
    first_outcome = outcome(plan.dominant) if first is not None else None
    fallback = compile_expr(node.default.node, node.default.checked, lazy)
    fallback = (fallback.constant, _EMPTY) if fallback.is_constant else None
    if not plan.exclusive:
        return _after_dominant(first, first_outcome, entries(plan.order), fallback, default, resolve, full)

    ordered = entries(plan.order)
    # The deciding rule's test, when it is one safe test of a field (`regulation ==
    # "FOA"`) with a constant outcome: made here, with no call.
    first_when = node.rules[plan.dominant].when if first is not None and first_outcome is not None else None
    first_test = _field_test(compile_expr(first_when.node, first_when.checked, lazy)) if first_when else None
    fa, fb, ft, fk = first_test or (None, None, None, None)
    # A split test (`supplier.country == "NO"`) leaves only the rules that can still fire.
    split = plan.split
    split_test = _field_test(compile_expr(split.node, split.expr.checked, lazy)) if split is not None else None
    if_true = entries(split.when_true) if split_test else ordered
    if_false = entries(split.when_false) if split_test else ordered
    sa, sb, st, sk = split_test or (None, None, None, None)

    def run_exclusive(env):
        try:
            if first is not None:
                if ft is not None:
                    if ft(env[fa][fb], fk):
                        return first_outcome
                elif first[0](env):
                    return first_outcome or (first[1](env), (first[2],))
            candidates = ordered if st is None else if_true if st(env[sa][sb], sk) else if_false
            for when, value, _, ids, fixed in candidates:
                if when(env):
                    return fixed or (value(env), ids)
            return fallback or (default(env), _EMPTY)
        except EvalFailure:
            return full(env)

    return run_exclusive


def _field_test(compiled) -> tuple | None:
    """(a, b, test, const) when `compiled` is one test of env[a][b] that cannot fail."""
    test = compiled.field_test
    return test.parts if test is not None and test.safe else None


def _after_dominant(first, first_outcome, ordered, fallback, default, resolve, full):
    """The deciding rule first; when it does not fire, every other rule, as usual."""
    plain = tuple(rule[:3] for rule in ordered)

    def run_after_dominant(env):
        try:
            if first[0](env):
                return first_outcome or (first[1](env), (first[2],))
            hits = [rule for rule in plain if rule[0](env)]
            if not hits:
                return fallback or (default(env), _EMPTY)
            if len(hits) == 1:
                return hits[0][1](env), (hits[0][2],)
            return resolve(env, hits)
        except EvalFailure:
            return full(env)

    return run_after_dominant


def _locate_failure(node: Decision, env, lazy) -> _Failure:
    """Re-run a failed decision's expressions one by one to say which one failed."""
    candidates = [(None, node.value)] if node.value is not None else []
    for rule in node.rules:
        if rule.when is not None:
            candidates.append((rule.id, rule.when))
    for rule in node.rules:
        candidates.append((rule.id, rule.value))
    if node.default is not None:
        candidates.append((None, node.default))
    for rule_id, expr in candidates:
        try:
            compile_expr(expr.node, expr.checked, lazy, precise=True).fn(env)
        except FailureAt as exc:
            return _Failure(str(exc), expr, exc.pos, rule_id, node.name)
        except EvalFailure as exc:
            return _Failure(str(exc), expr, None, rule_id, node.name)
    return _Failure("conflicting rules, or a failure that could not be located", None, None, None, node.name)


__all__ = ["CompiledPolicy", "EvaluationError", "PreparedCase"]
