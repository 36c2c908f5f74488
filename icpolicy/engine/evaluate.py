"""Stage: checked policy model -> compiled policy that decides many cases.

`CompiledPolicy(model, doc, case_schema=...)` compiles every expression to a closure
once (engine/runners.py). Then `evaluate(case)` normalizes the case (exact decimals,
dates, defaults) and runs the decisions of a plan (engine/plan.py) in dependency
order: the case's decisions, and per-project ones for each project. Case-level
definitions are computed on first use, at most once per case. Only what was asked,
and what it depends on, is evaluated (and only the parts of the case those read are
normalized). Tracing is not on this path: the rules that fired are recorded as ids,
and explanations are rendered only when a result is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..cases.diagnostic import case_diagnostic
from ..cases.fastconvert import fast_converter
from ..cases.normalize import check_unique_ids
from ..cases.schema import CaseSchema, bundled_case_schema
from ..diagnostics import Diagnostic, IcpolicyError, suggest
from ..lang import ast
from ..lang.checker import Checked
from ..lang.compile import compile_expr
from ..lang.runtime import LazyDefinition
from ..policy.model import Decision, PolicyModel, Template
from ..yamlsource import Document, expression_span
from .plan import Plan, case_fields, closure, make_plan
from .result import Result
from .runners import RunFailure, failure_in, is_decided, make_runner, run_isolated, run_steps


class EvaluationError(IcpolicyError):
    """A case could not be decided: a missing value, a division by zero, a conflict.

    `result`, when not None, holds what could be decided all the same: a failure
    leaves undecided only the decisions that depend on the one that failed (a
    conflict in one project leaves `ica_required` decided)."""

    result: Result | None = None


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
        self.tracer = tracer
        # The case schema is an input, given by whoever loaded the policy (the bundled
        # one when not given), compiled once per process.
        self.case_schema = case_schema or bundled_case_schema()
        self._normalize = self.case_schema.normalizer
        self.scope = {name: node.scope for name, node in model.nodes.items()}
        self._lazy = _lazy_definitions(model, tracer)
        self._runners = {name: make_runner(node, model, self._lazy, tracer) for name, node in model.nodes.items()}
        self._fields = {name: case_fields(node) for name, node in model.nodes.items()}
        self._templates: dict = {}
        self._plans: dict = {}
        self._dependencies: dict = {}
        # Plan key -> a function deciding a case (given as its own env dict) in one
        # call, for plans with case-level steps only (`decisions=["ica_required"]`).
        self.case_level_deciders: dict = {}
        # The same plans, for a case given as a plain dict: (fast conversion, decider);
        # the conversion returns None when the reference normalizer must do it.
        self.dict_deciders: dict = {}
        self._fast_converters: dict = {}
        self.output_names = [d.name for d in model.decisions()]
        self.rules_by_id = {node.name: {r.id: r for r in node.rules} for node in model.decisions()}
        self.meta = {"id": model.id, "version": model.version, "sha256": model.sha256}
        self.plan(None)

    def traced(self, tracer) -> CompiledPolicy:
        """The same policy compiled again with a tracer (coverage, boundaries)."""
        return CompiledPolicy(self.model, self.doc, tracer=tracer, case_schema=self.case_schema)

    def compile(self, node: ast.Node, checked: Checked) -> Callable:
        """A closure evaluating (a part of) one of this policy's checked expressions on
        an evaluation's env, reading the policy's definitions."""
        return compile_expr(node, checked, self._lazy).fn

    # -- planning ------------------------------------------------------------------
    def plan(self, names: Iterable[str] | None) -> Plan:
        """The plan deciding `names` (all decisions when None); cached."""
        key = None if names is None else tuple(names)
        cached = self._plans.get(key)
        if cached is not None:
            return cached
        self._check_names(key)
        plan = self._plans[key] = self._make_plan(key)
        if not plan.per_project:
            decide = self.case_level_deciders[key] = self._case_level_decider(plan.case_runs, plan.outputs)
            convert = self._fast_converter(plan.fields)
            if convert is not None:
                self.dict_deciders[key] = (convert, decide)
        return plan

    def _fast_converter(self, only: frozenset | None):
        """The fast (msgspec) conversion of a case's `only` fields, or None."""
        if only not in self._fast_converters:
            self._fast_converters[only] = fast_converter(self.case_schema.document, only)
        return self._fast_converters[only]

    def _check_names(self, names) -> None:
        if names is None:
            return
        unknown = [n for n in names if n not in self.output_names]
        if unknown:
            raise IcpolicyError(
                [
                    Diagnostic(
                        "E-DECISION",
                        f"'{n}' is a definition, not a decision" if n in self.model.nodes else f"unknown decision '{n}'",
                        help=suggest(n, self.output_names),
                    )
                    for n in unknown
                ]
            )

    def _make_plan(self, key) -> Plan:
        """Plan any names, definitions included (for explanations); cached."""
        cached = self._plans.get(("internal", key))
        if cached is None:
            cached = make_plan(self.model, key, self._runners, self._lazy, self._fields, self.output_names)
            self._plans[("internal", key)] = cached
        return cached

    # -- evaluation ----------------------------------------------------------------
    def normalize(self, case, doc: Document | None = None, only: frozenset | None = None) -> dict:
        """Check a case document and convert it; raise IcpolicyError naming each bad field."""
        fast = self._fast_converter(only)
        out = fast(case) if fast is not None else None
        if out is not None:
            problems: list = []
            check_unique_ids(out, problems)
            if not problems:
                return out
        out, problems = self._normalize(case, only)  # the reference: it names every problem
        if not problems:
            check_unique_ids(out, problems)
        if problems:
            raise IcpolicyError([case_diagnostic(path, message, doc) for path, message in problems])
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
        if type(case) is dict:
            fast = self.dict_deciders.get(key)
            if fast is not None:
                env = fast[0](case)
                if env is not None:
                    return fast[1](env, False)
        decide = self.case_level_deciders.get(key)
        if decide is None:
            plan = self.plan(decisions)
            decide = self.case_level_deciders.get(key)
        if decide is not None:
            if type(case) is PreparedCase:
                # The decider writes into its own copy; the projects stay the case's
                # own until an explanation needs to write into them.
                return decide(case.data.copy(), True)
            return decide(self.normalize(case, doc, self._plans[key].fields), False)
        if type(case) is PreparedCase:
            # Evaluation writes decisions into the case's dicts: it gets its own copies.
            env = case.data.copy()
            env["projects"] = [dict(p) for p in env["projects"]]
        else:
            env = self.normalize(case, doc, plan.fields)
        fired: dict = {}
        project_fired: list = [{} for _ in env["projects"]]
        try:
            run_steps(plan.steps, env, fired, project_fired)
        except RunFailure:
            raise self._partly_decided(plan, env, fired, project_fired) from None
        return Result(self, env, fired, plan.outputs, project_fired)

    def _partly_decided(self, plan: Plan, env: dict, fired: dict, project_fired: list) -> EvaluationError:
        """The error of a case where a decision failed, with what was decided all the
        same: the steps run again, each decision on its own."""
        case_failed, project_failed, failures = run_isolated(plan.steps, env, fired, project_fired, self._depends)
        diagnostics: list[Diagnostic] = []
        for failure, index in failures:
            project = None if index is None else env["projects"][index].get("id")
            diagnostic = self._evaluation_error(env, failure, project).diagnostics[0]
            if diagnostic not in diagnostics:
                diagnostics.append(diagnostic)
        error = EvaluationError(diagnostics)
        error.result = Result(self, env, fired, plan.outputs, project_fired, failed=(case_failed, project_failed))
        return error

    def _depends(self, name: str) -> frozenset:
        """Every name `name` reads, directly or through definitions."""
        found = self._dependencies.get(name)
        if found is None:
            found = self._dependencies[name] = frozenset(closure(self.model, [name], explain=False) - {name})
        return found

    def _case_level_decider(self, runs: tuple, outputs: tuple) -> Callable:
        """Decide a case when every step is case-level: `decide(env, shared)` takes the
        evaluation's own env (a copy of a prepared case, whose projects are still the
        prepared case's own when `shared`, or a normalized document)."""
        policy = self
        if len(runs) == 1:  # one decision asked for: no loop
            ((only, run_only),) = runs

            def decide_one(env: dict, shared: bool) -> Result:
                try:
                    env[only], ids = run_only(env)
                except RunFailure as failure:
                    raise policy._evaluation_error(env, failure) from None
                return Result(policy, env, {only: ids} if ids else {}, outputs, None, shared)

            return decide_one

        def decide(env: dict, shared: bool) -> Result:
            fired: dict = {}
            try:
                for name, run in runs:
                    env[name], ids = run(env)
                    if ids:
                        fired[name] = ids
            except RunFailure as failure:
                raise policy._evaluation_error(env, failure) from None
            return Result(policy, env, fired, outputs, None, shared)

        return decide

    def ensure(self, names, env, fired, project_fired) -> None:
        """Evaluate whatever of `names` (and their dependencies) is not decided yet.
        The projects in `env` must be its own (see Result.explanation)."""
        missing = tuple(n for n in names if n not in self._lazy and not is_decided(n, self.scope[n], env))
        if not missing:
            return
        steps = self._make_plan(missing).steps
        todo = tuple(
            (scope, tuple((n, r) for n, r in runs if not is_decided(n, scope, env))) for scope, runs in steps
        )
        try:
            run_steps(todo, env, fired, project_fired)
        except RunFailure as failure:
            raise self._evaluation_error(env, failure) from None

    def template(self, template: Template) -> list:
        """Compiled parts of an explanation template (compiled on first use)."""
        key = id(template)
        parts = self._templates.get(key)
        if parts is None:
            parts = [part if isinstance(part, str) else (self.compile(part.node, part.checked), part.type) for part in template.parts]
            self._templates[key] = parts
        return parts

    def _evaluation_error(self, env, failure: RunFailure, project: str | None = None) -> EvaluationError:
        where = None
        if failure.expr is not None:
            if failure.pos is not None:
                where = expression_span(self.doc, failure.expr.path, failure.pos.line, failure.pos.col)
            else:
                where = self.doc.span(failure.expr.path)
        rule = ""
        if failure.rule_id:
            rule = f", {'rules' if ',' in failure.rule_id else 'rule'} {failure.rule_id}"
        inside = "" if project is None else f"project {project!r}: "
        message = f"case {env.get('id')!r}: {inside}decision '{failure.decision}'{rule}: {failure.message}"
        return EvaluationError(Diagnostic("E-EVAL", message, where))


def _lazy_definitions(model: PolicyModel, tracer) -> dict[str, LazyDefinition]:
    """The case-level definitions, each computed on first use, compiled in dependency
    order: a definition that is one plain test (`supplier.country != home_country`)
    is then read in place by those that use it."""
    lazy = {name: LazyDefinition() for name, node in model.nodes.items() if not node.output and node.scope == "case"}
    for name in sorted(lazy, key=_position(model.order)):
        definition = lazy[name]
        node: Decision = model.nodes[name]
        assert node.value is not None  # a definition is one expression
        hooks = tracer.expression_hooks(node.value) if tracer is not None and hasattr(tracer, "expression_hooks") else None
        compiled = compile_expr(node.value.node, node.value.checked, lazy, hooks)
        definition.compute, definition.wrap_failure, definition.total = compiled.fn, failure_in(node), compiled.total
        definition.in_place = hooks is None and compiled.total and _plain_tests(node.value.node)
        definition.field_test = compiled.field_test
    return lazy


def _plain_tests(node) -> bool:
    """A few tests of fields and nothing else: computed in place rather than kept."""
    nodes = list(ast.walk(node))
    return len(nodes) <= 15 and not any(
        isinstance(n, ast.Call | ast.Lambda | ast.Binary) and getattr(n, "op", "") not in _TESTS for n in nodes
    )


_TESTS = {"==", "!=", "<", "<=", ">", ">=", "in", "not in"}


def _position(order):
    where = {name: i for i, name in enumerate(order)}
    return lambda name: where.get(name, len(where))


__all__ = ["CompiledPolicy", "EvaluationError", "PreparedCase"]
