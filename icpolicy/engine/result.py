"""The result of deciding one case: values, the rules behind them, and explanations.

Values and rule ids are recorded during evaluation; `DecisionResult` objects and
explanation texts are built only when asked for, so deciding many cases pays only
for what is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter

from ..diagnostics import IcpolicyError
from ..i18n import formatting as i18n_format
from ..values import json_value
from .explain_render import citation as _citation
from .explain_render import renderer


class DecisionResult(tuple):
    """One decision: its name, value and the ids of the rules that decided it.

    Immutable, and equal only to another DecisionResult with the same parts. A tuple
    underneath because results are made per case on the hot path: building one is
    a C call (`_decision`), where a frozen dataclass cost five times as much."""

    __slots__ = ()

    def __new__(cls, name: str, value: object, rules: tuple) -> DecisionResult:
        return tuple.__new__(cls, (name, value, rules))

    name: str = property(itemgetter(0), doc="The decision's name.")  # type: ignore[assignment]
    value: object = property(itemgetter(1), doc="The value decided.")
    rules: tuple = property(itemgetter(2), doc="The ids of the rules that decided it.")  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        return type(other) is DecisionResult and tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = tuple.__hash__

    def __repr__(self) -> str:
        return f"DecisionResult(name={self[0]!r}, value={self[1]!r}, rules={self[2]!r})"


def _decision(name: str, value: object, rules: tuple, _make=tuple.__new__) -> DecisionResult:
    return _make(DecisionResult, (name, value, rules))


@dataclass(frozen=True)
class ProjectResult:
    id: str
    decisions: dict


class Result:
    """One case decided: its values and the rules behind them, with explanations and
    the JSON object built on first use."""

    __slots__ = ("_policy", "_env", "_fired", "_names", "_project_fired", "_shared_projects", "_decisions", "_projects", "_failed")

    def __init__(
        self, policy, env: dict, fired: dict, names, project_fired: list | None = None, shared_projects: bool = False, failed=None
    ):
        self._policy = policy  # the CompiledPolicy (one version) that decided the case
        self._env = env  # the evaluation's own dict: case fields and decided values
        self._fired = fired  # case-level decision -> ids of the rules that decided it
        self._names = names  # the decisions asked for, in the policy's order
        self._project_fired = project_fired  # per project, as `fired`; None: nothing ran per project
        self._shared_projects = shared_projects  # the projects are still a prepared case's own dicts
        self._decisions: dict | None = None  # built on first use
        self._projects: list | None = None
        # (case-level names, per project the names) left undecided by a failure; None: all decided.
        self._failed: tuple[set, list] | None = failed

    @property
    def policy(self):
        """The compiled policy (one version) that decided this case."""
        return self._policy

    @property
    def case_date(self):
        """The case's date as decided (a datetime.date; None when not read)."""
        return self._env.get("date")

    def case_field(self, name: str, default=None):
        """A top-level field of the case as normalized (read only; `default` when the
        field was not read for the decisions asked)."""
        return self._env.get(name, default)

    def _pfired(self) -> list:
        # Per-project rule ids; absent when nothing was decided per project.
        if self._project_fired is None:
            self._project_fired = [{} for _ in self._env["projects"]]
        return self._project_fired

    def to_policy_meta(self) -> dict:
        """Which policy and version decided this case."""
        return dict(self._policy.meta)

    @property
    def case_id(self) -> str:
        return self._env["id"]

    @property
    def decisions(self) -> dict[str, DecisionResult]:
        """The case-level decisions, by name."""
        decisions = self._decisions
        if decisions is None:
            names, env, fired = self._names, self._env, self._fired
            if len(names) == 1 and self._failed is None and self._policy.scope[names[0]] == "case":
                # One case-level decision asked for (`decisions=["ica_required"]`).
                (name,) = names
                decisions = {name: tuple.__new__(DecisionResult, (name, env[name], fired.get(name, ())))}
            else:
                scope = self._policy.scope
                failed = self._failed[0] if self._failed is not None else ()
                decisions = {
                    n: _decision(n, env[n], fired.get(n, ())) for n in names if scope[n] == "case" and n not in failed
                }
            self._decisions = decisions
        return decisions

    @property
    def projects(self) -> list[ProjectResult]:
        """Each project's decisions, in the order of the case's projects."""
        if self._projects is None:
            scope = self._policy.scope
            names = [n for n in self._names if scope[n] == "project"]
            # No project decision asked for: no project entries, whether or not the
            # projects were read (a prepared case holds them, a document read for
            # `ica_required` alone does not).
            failed = self._failed[1] if self._failed is not None else [()] * len(self._env["projects"])
            self._projects = [] if not names else [
                ProjectResult(p["id"], {n: _decision(n, p[n], pf.get(n, ())) for n in names if n not in pfailed})
                for p, pf, pfailed in zip(self._env["projects"], self._pfired(), failed, strict=True)
            ]
        return self._projects

    def explanation(self, name: str, project_index: int | None = None, lang: str | None = None) -> list[dict]:
        """Why a decision has its value: each deciding rule with its source and text.

        `lang` ("nb" or "en") picks the language of the texts and of the numbers in
        them; without it, the policy's default texts (English) as before."""
        policy = self._policy
        node = policy.model.nodes.get(name)
        if node is None or not node.output:
            raise KeyError(f"no decision {name!r}")
        if (node.scope == "project") != (project_index is not None):
            need = "a project index" if node.scope == "project" else "no project index"
            raise ValueError(f"{name!r} is decided {'per project' if node.scope == 'project' else 'for the case'}: give {need}")
        env = self._env
        if self._shared_projects:  # explaining may decide per-project values: copy first
            env["projects"] = [dict(p) for p in env["projects"]]
            self._shared_projects = False
        policy.ensure(policy.model.explain_deps.get(name, ()), env, self._fired, self._pfired())
        if project_index is None:
            ids = self._fired.get(name, ())
        else:
            ids = self._pfired()[project_index].get(name, ())
            env["project"] = env["projects"][project_index]
        by_id = policy.rules_by_id[name]
        out = []
        if ids:
            for rid in ids:
                rule = by_id[rid]
                out.append(
                    {
                        "rule": rid,
                        "source": _citation(rule.source),
                        "text": self._render(node, rule.explanation, env, lang),
                    }
                )
        elif node.explanation is not None:
            source = self._cited_source(node) or node.source
            out.append(
                {
                    "rule": None,
                    "source": _citation(source) if source else None,
                    "text": self._render(node, node.explanation, env, lang),
                }
            )
        return out

    def figures(self, name: str, project_index: int | None = None, lang: str = "en") -> list[tuple[str, str]]:
        """The values an explanation shows, as (expression as written, value as shown):
        the figures a decision report lists under each rule."""
        self.explanation(name, project_index, lang=lang)  # decides what they show
        node = self._policy.model.nodes[name]
        fired = self._fired if project_index is None else self._pfired()[project_index]
        by_id = self._policy.rules_by_id[name]
        templates = [by_id[rid].explanation for rid in fired.get(name, ())] or [node.explanation]
        out: list[tuple[str, str]] = []
        for template in templates:
            if template is None:
                continue
            local = template.in_lang(lang)
            for written, part in zip(local.parts, self._policy.template(local), strict=True):
                if isinstance(part, str):
                    continue
                fn, typ = part
                entry = (written.text.strip(), i18n_format.show(fn(self._env), typ, lang))
                if entry not in out and not written.text.lstrip().startswith("if "):
                    out.append(entry)
        return out

    def cited_rules(self, name: str) -> list:
        """The rules a decision's value follows from through `cites`: those that decided
        the decisions it cites in this case (e.g. ica_kind: the rule requiring the ICA)."""
        policy = self._policy
        node = policy.model.nodes[name]
        out = []
        for cited in node.cites:
            by_id = policy.rules_by_id[cited]
            out += [by_id[rid] for rid in self._fired.get(cited, ())]
        return out

    def _cited_source(self, node):
        rules = self.cited_rules(node.name) if node.cites and node.scope == "case" else []
        return rules[0].source if rules else None

    def _render(self, node, template, env, lang=None) -> str:
        return renderer(self._policy, template, lang).text(env)

    def _explained(self, name: str, index: int | None, lang: str) -> list[dict]:
        if self._failed is None:
            return self.explanation(name, index, lang=lang)
        try:  # a decided value whose explanation shows one that failed: no text
            return self.explanation(name, index, lang=lang)
        except IcpolicyError:
            return []

    def to_dict(self, explain: bool = True, lang: str = "en") -> dict:
        """The JSON object of one case (values exact: Decimal, bool, str); explanations
        in `lang`, which the object names (`language`)."""
        decisions = {}
        for name, d in self.decisions.items():
            entry = {"value": json_value(d.value), "rules": list(d.rules)}
            if explain:
                entry["explanation"] = self._explained(name, None, lang)
            decisions[name] = entry
        projects = []
        for i, p in enumerate(self.projects):
            pdec = {}
            for name, d in p.decisions.items():
                entry = {"value": json_value(d.value), "rules": list(d.rules)}
                if explain:
                    entry["explanation"] = self._explained(name, i, lang)
                pdec[name] = entry
            projects.append({"id": p.id, "decisions": pdec})
        return {
            "case": self.case_id,
            "policy": dict(self._policy.meta),
            "decisions": decisions,
            "projects": projects,
            "language": lang,
        }
