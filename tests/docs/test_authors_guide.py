"""docs/policy-authors-guide.md shows real runs: each marked console block's commands,
run again in the scratch checkout of the worked examples (tests/docs/guide_examples.py),
still give the findings, counts and decisions the guide shows. The wording of
explanations and sources is not compared (it is the policy's, and changes with it);
`python tests/docs/guide_examples.py` rewrites the blocks from a run."""

from __future__ import annotations

import re

import pytest

from . import guide_examples as G

# The lines that carry what a block shows: findings, counts, the policy used, decisions.
_SIGNIFICANT = re.compile(
    r"^(?:(?:error|warning|note)\[[\w-]+\]: .*"
    r"|checked \d+ file\(s\).*"
    r"|\d+ passed, \d+ failed.*"
    r"|\d+ case\(s\) could not be decided.*"
    r"|policy: .*"
    r"|Case \S+ .*"
    r"|\s*Project \S+"
    r"|\s{2,4}[a-z_]+\s{2,}.*\[[^\]]*\]"
    r"|\d{4}\.\d+\s.*"
    r"|\s*\"(?:code|message|value|line)\": .*"
    r"|\{\"code\": .*)$"
)

_BLOCKS = G.blocks(G.GUIDE.read_text(encoding="utf-8"))


def significant(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if _SIGNIFICANT.match(line)]


@pytest.fixture(scope="module")
def roots(tmp_path_factory):
    return G.scratch_roots(tmp_path_factory.mktemp("guide"), {stage for stage, _, _ in _BLOCKS})


def test_the_guide_has_its_worked_examples_marked():
    stages = [stage for stage, _, _ in _BLOCKS]
    assert len(_BLOCKS) >= 12 and {"first", "second", "final", "repo"} <= set(stages)


@pytest.mark.parametrize("index", range(len(_BLOCKS)), ids=[cmds[0][:60] for _, cmds, _ in _BLOCKS])
def test_a_console_block_of_the_guide_is_what_its_commands_print(roots, index):
    stage, commands, shown = _BLOCKS[index]
    ran = G.run_block(stage, commands, roots)
    hint = "the guide's output is stale: python tests/docs/guide_examples.py rewrites it"
    assert significant(ran) == significant(shown), hint
    assert significant(shown), "a block that shows nothing checkable"
