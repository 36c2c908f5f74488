"""Where a key is being typed in a YAML document, read from the lines alone.

The document is half-typed while its keys are completed, so it may not parse: the
mapping the cursor is in is found from indentation (block style, `- ` list items)
and from unclosed `{` on the cursor's line (flow style). The result is the path of
keys from the root (list items leave no trace: a key inside `projects:` items has
the path `("projects",)`) and the keys already written in that mapping, so that
completion offers only what may still be written there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TYPING_KEY = re.compile(r"(\s*)((?:-\s+)*)([A-Za-z_][\w-]*)?")
_KEY_LINE = re.compile(r"(\s*)((?:-\s+)*)([A-Za-z_][\w-]*|\"[^\"]*\"|'[^']*')\s*:(?:\s|$)")
_FLOW_KEY = re.compile(r"([A-Za-z_][\w-]*)\s*:\s*$")


@dataclass(frozen=True)
class KeyPlace:
    path: tuple[str, ...]  # the keys from the root to the mapping the cursor is in
    typed: str  # the part of the key typed so far
    present: frozenset[str]  # keys already written in that mapping


@dataclass(frozen=True)
class _Line:
    indent: int  # where the line's text starts
    dash: int | None  # column of its last `- `, when it starts list items
    key_col: int  # column of its key
    key: str


def _parse(line: str) -> _Line | None:
    if not line.strip() or line.lstrip().startswith("#"):
        return None
    match = _KEY_LINE.match(line)
    if match is None:
        return None
    lead, dashes, key = match.group(1), match.group(2), match.group(3).strip("\"'")
    dash = None
    if dashes:
        dash = len(lead) + dashes.rstrip().rfind("-")
    return _Line(len(lead), dash, len(lead) + len(dashes), key)


def key_place(lines: list[str], line_no: int, col: int) -> KeyPlace | None:
    """The mapping a key is being typed in at (0-based) `line_no`, `col`; None when the
    cursor is not where a key goes (after `key: `, inside a value)."""
    if line_no == len(lines):  # the last line, empty (splitlines drops it)
        lines = [*lines, ""]
    if not 0 <= line_no < len(lines):
        return None
    before = lines[line_no][:col]
    flow = _flow_place(lines, line_no, before)
    if flow is not None:
        return flow
    match = _TYPING_KEY.fullmatch(before)
    if match is None:
        return None
    lead, dashes, typed = match.group(1), match.group(2), match.group(3) or ""
    key_col = len(lead) + len(dashes)
    dash = len(lead) + dashes.rstrip().rfind("-") if dashes else None
    path, present = _block_parents(lines, line_no, key_col, dash)
    return KeyPlace(path, typed, present)


def _block_parents(lines: list[str], line_no: int, key_col: int, dash: int | None) -> tuple[tuple[str, ...], frozenset[str]]:
    """The keys above a key at `key_col` (the first of a list item at `dash`, when
    given), and the keys beside it in its mapping."""
    present: set[str] = set()
    if dash is None:
        present |= _siblings_below(lines, line_no, key_col)
    path: list[str] = []
    want, in_item = key_col, dash
    first = True
    for number in range(line_no - 1, -1, -1):
        parsed = _parse(lines[number])
        if parsed is None:
            continue
        if in_item is not None:
            if parsed.key_col < in_item or (parsed.key_col == in_item and parsed.dash is None):
                path.insert(0, parsed.key)  # the key that holds the list
                want, in_item = parsed.key_col, parsed.dash
                first = False
            continue
        if parsed.dash is not None and parsed.key_col == want:
            if first:
                present.add(parsed.key)  # the first key of the item the cursor is in
            in_item = parsed.dash
            continue
        if parsed.key_col < want:
            path.insert(0, parsed.key)
            want, in_item = parsed.key_col, parsed.dash
            first = False
        elif parsed.key_col == want and first and parsed.indent == want:
            present.add(parsed.key)
    return tuple(path), frozenset(present)


def _siblings_below(lines: list[str], line_no: int, key_col: int) -> set[str]:
    out: set[str] = set()
    for line in lines[line_no + 1 :]:
        parsed = _parse(line)
        if parsed is None:
            if line.strip() and not line.lstrip().startswith("#") and len(line) - len(line.lstrip()) < key_col:
                break
            continue
        if parsed.key_col < key_col or (parsed.dash is not None and parsed.dash < key_col):
            break
        if parsed.key_col == key_col and parsed.dash is None:
            out.add(parsed.key)
    return out


def _flow_place(lines: list[str], line_no: int, before: str) -> KeyPlace | None:
    """Inside `{...}` opened on this line: the keys before each open `{` or `[`."""
    stack = _open_brackets(before)
    if not stack or stack[-1].bracket != "{":
        return None
    typed = re.fullmatch(r".*[{,]\s*([A-Za-z_][\w-]*)?", before, re.S)
    if typed is None:
        return None
    head = before[: stack[0].col]
    if stack[0].key is not None:  # `key: {`: the block place of that key
        start = len(head.rstrip()[:-1].rstrip()) - len(stack[0].key)
        outer = key_place(lines[:line_no] + [head[:start]], line_no, start)
    else:  # `- {`, or a document that is one flow mapping
        outer = key_place(lines[:line_no] + [head], line_no, len(head))
    if outer is None:
        return None
    keys = tuple(b.key for b in stack if b.key is not None)
    return KeyPlace(outer.path + keys, typed.group(1) or "", frozenset(stack[-1].written))


@dataclass
class _Open:
    bracket: str  # { or [
    col: int
    key: str | None  # the key it is the value of
    written: set[str]  # the keys written in it so far (a mapping)


def _open_brackets(before: str) -> list[_Open] | None:
    """The brackets still open at the end of `before`, outermost first (None inside a
    quoted string)."""
    stack: list[_Open] = []
    quote = None
    for at, char in enumerate(before):
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "{[":
            key = _FLOW_KEY.search(before[:at])
            stack.append(_Open(char, at, key.group(1) if key else None, set()))
        elif char in "}]" and stack:
            stack.pop()
        elif char == ":" and stack and stack[-1].bracket == "{":
            key = re.search(r"([A-Za-z_][\w-]*)\s*$", before[:at])
            if key:
                stack[-1].written.add(key.group(1))
    return None if quote else stack


_TYPING_VALUE = re.compile(r"(.*?)([A-Za-z_][\w-]*)\s*:\s+([\w.-]*)")


def value_place(lines: list[str], line_no: int, col: int) -> tuple[tuple[str, ...], str] | None:
    """Where a value is being typed after `key: ` (block or flow style): the path of that
    key from the root, and the part of the value typed so far; None elsewhere."""
    if line_no == len(lines):
        lines = [*lines, ""]
    if not 0 <= line_no < len(lines):
        return None
    before = lines[line_no][:col]
    match = _TYPING_VALUE.fullmatch(before)
    if match is None or not re.fullmatch(r"[\s{,\[-]*|.*[{,]\s*", match.group(1)):
        return None
    head = match.group(1)  # what stands before the key: indentation, `- `, or `... {`
    place = key_place(lines[:line_no] + [head], line_no, len(head))
    if place is None:
        return None
    return place.path + (match.group(2),), match.group(3)
