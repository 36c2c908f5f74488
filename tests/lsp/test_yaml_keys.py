"""Where a key is being typed, from the lines of a half-typed YAML document (`|` is the cursor)."""

import pytest

from icpolicy.lsp.yamlkeys import key_place, value_place


def _at(text: str):
    index = text.index("|")
    before = text[:index]
    lines = text.replace("|", "").splitlines()
    return key_place(lines, before.count("\n"), index - (before.rfind("\n") + 1))


@pytest.mark.parametrize(
    "text, path, typed, present",
    [
        ("|", (), "", set()),
        ("id: X\nda|", (), "da", {"id"}),
        ("id: X\nprocurement:\n  value_nok: 1\n  ch|\nsupplier: {country: US}\n", ("procurement",), "ch", {"value_nok"}),
        ("procurement:\n  related_contracts:\n    - date: 2020-01-01\n      v|\n", ("procurement", "related_contracts"), "v", {"date"}),
        ("projects:\n  - id: P1\n    kind: direct\n    |\n  - id: P2\n    factor: 2\n", ("projects",), "", {"id", "kind"}),
        ("projects:\n  - id: P1\n  - |\n", ("projects",), "", set()),
        ("projects:\n- id: P1\n  |\n", ("projects",), "", {"id"}),
        ("# a comment: with a colon\nprocurement:\n\n  # note: here\n  |\n", ("procurement",), "", set()),
        ("procurement: {value_nok: 1, |}\n", ("procurement",), "", {"value_nok"}),
        ("projects: [{id: P1, k|}]\n", ("projects",), "k", {"id"}),
        ("supplier: {sub_suppliers: [{name: x, |\n", ("supplier", "sub_suppliers"), "", {"name"}),
        ("tests:\n  - name: x\n    case:\n      procurement: {|}\n", ("tests", "case", "procurement"), "", set()),
    ],
)
def test_the_mapping_the_cursor_is_in(text, path, typed, present):
    place = _at(text)
    assert place is not None
    assert (place.path, place.typed, set(place.present)) == (path, typed, present)


@pytest.mark.parametrize("text", ["procurement:\n  channel: |\n", "supplier: {country: |}\n", "id: 'a {|'\n"])
def test_no_key_goes_in_a_value(text):
    assert _at(text) is None


@pytest.mark.parametrize(
    "text, place",
    [
        ("procurement:\n  channel: N|", (("procurement", "channel"), "N")),
        ("procurement: {value_nok: 1, channel: |", (("procurement", "channel"), "")),
        ("projects:\n  - id: P1\n    kind: r|", (("projects", "kind"), "r")),
        ("projects:\n  - kind: |", (("projects", "kind"), "")),
        ("a: b: |", None),
        ("procurement:\n  |", None),
    ],
)
def test_the_field_whose_value_is_typed(text, place):
    index = text.index("|")
    before = text[:index]
    lines = text.replace("|", "").splitlines()
    assert value_place(lines, before.count("\n"), index - (before.rfind("\n") + 1)) == place
