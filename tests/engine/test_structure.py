"""The engine's parts as the next maintainer reads them: a plan is a dataclass, a
result a plain object with a constructor and a public policy, a versioned policy
has explicit properties."""

import dataclasses

import pytest

import icpolicy
from icpolicy.engine.plan import Plan
from icpolicy.engine.result import Result
from icpolicy.lang.runtime import LazyDefinition

CASE = {
    "id": "S-1",
    "date": "2026-03-01",
    "procurement": {"value_nok": 150_000_000},
    "supplier": {"country": "US"},
}


def test_a_plan_is_a_frozen_dataclass_with_named_parts(bif):
    plan = bif.current.plan(["ica_required"])
    assert isinstance(plan, Plan) and dataclasses.is_dataclass(plan)
    assert plan.outputs == ("ica_required",)
    assert not plan.per_project and plan.case_runs
    assert "projects" not in plan.fields and "procurement" in plan.fields
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.per_project = True  # type: ignore[misc]
    assert bif.current.plan(None).per_project and bif.current.plan(None).fields is None


@pytest.mark.parametrize("decisions", [None, ["ica_required"], ["ica_required", "obligation_nok"]])
@pytest.mark.parametrize("prepared", [False, True])
def test_every_result_is_a_plain_result_naming_its_policy(bif, decisions, prepared):
    case = bif.prepare(CASE) if prepared else CASE
    result = bif.evaluate(case, decisions=decisions)
    assert type(result) is Result
    assert result.policy is bif.current
    assert result.case_date.isoformat() == "2026-03-01"


def test_case_definitions_are_held_by_slotted_objects(bif):
    lazy = bif.current._lazy
    assert lazy and all(type(d) is LazyDefinition for d in lazy.values())
    assert not hasattr(next(iter(lazy.values())), "__dict__")


def test_a_versioned_policy_has_explicit_properties_and_no_fallthrough(bif):
    assert bif.model is bif.current.model and bif.meta == bif.current.meta
    assert bif.output_names[0] == "ica_required"
    with pytest.raises(AttributeError):
        bif._lazy  # noqa: B018 - the current version's internals are not reachable from here


def test_the_case_schema_is_one_input_shared_by_every_version():
    policy = icpolicy.load_policy()
    schemas = {id(v.case_schema) for v in policy.versions}
    assert len(schemas) == 1


def test_a_definition_compiles_against_the_policy(bif):
    node = bif.current.model.nodes["ica_required"]
    rule = node.rules[0]
    fn = bif.current.compile(rule.when.node, rule.when.checked)
    env = bif.normalize(CASE)
    assert fn(env) in (True, False)
