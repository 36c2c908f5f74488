"""The compact JSON text of a decided case, written straight from the result.

Byte for byte what `dumps(result.to_dict(explain, lang))` writes (the reference,
kept; tests/engine/test_result_json.py compares the two on generated cases), without
building the object first: what is the same for every case of one policy version
(its meta, the keys, each list of rule ids, each cited source) is encoded once and
reused, and values are written by type, decimals exactly (never through float).

With `refs=True` (`eval --explain refs`) an explanation's `source` is the id of its
citation, `S-` and the first 16 hex digits of the citation's SHA-256 (the same
citation has the same id in every process, run and version), and `sources_record`
gives each version's citations once, for the writer to put on the line before the
version's first case: `{"sources":{ID:CITATION,...},"policy":{...}}`
(docs/output-format.md). The texts carry no state from case to case, so worker
processes can make them (`--jobs`) and the main process writes the records.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from ..values import decimal_text, dumps, json_string, json_value

_EXPLANATION_KEYS = ("rule", "source", "text")
_CACHE_LIMIT = 4096  # distinct decimals and strings kept encoded; then the cache starts over


class _Encoded:
    """Encoded strings and decimals, kept for the next case (few distinct ones recur)."""

    def __init__(self):
        self.strings: dict[str, str] = {}
        self.decimals: dict[Decimal, str] = {}

    def string(self, text: str) -> str:
        out = self.strings.get(text)
        if out is None:
            if len(self.strings) >= _CACHE_LIMIT:
                self.strings.clear()
            out = self.strings[text] = json_string(text)
        return out

    def decimal(self, value: Decimal) -> str:
        # Equal decimals have the same text (trailing zeros dropped), so the value is the key.
        out = self.decimals.get(value)
        if out is None:
            if len(self.decimals) >= _CACHE_LIMIT:
                self.decimals.clear()
            out = self.decimals[value] = decimal_text(value)
        return out


class ResultJson:
    """Writes results of any version of one policy as compact JSON, one text per case."""

    def __init__(self, explain: bool, lang: str = "en", refs: bool = False):
        self.explain, self.lang, self.refs = explain, lang, refs
        self._encoded = _Encoded()
        self._source_ids: dict[str, str] = {}  # citation -> id (refs)
        self._version_sources: dict[int, set] = {}  # id(policy) -> the citations it lists
        self._written: set[str] = set()  # ids in the sources records given so far
        self._heads: dict[int, tuple] = {}  # id(policy) -> (policy, encoded meta)
        self._rules: dict[tuple, str] = {}  # rule ids -> ',"rules":[...]'
        self._keys: dict[str, str] = {}  # decision name -> '"name":{"value":'
        self._policy_now = None  # the version of the case being written
        self._tail = ',"language":' + json_string(lang) + "}"

    def text(self, result) -> str:
        policy = result.policy
        head = self._heads.get(id(policy))
        if head is None or head[0] is not policy:
            head = self._heads[id(policy)] = (policy, dumps(dict(policy.meta)))
            if self.refs:
                self._version_sources[id(policy)] = set(_sources_of(policy))
        self._policy_now = policy
        out = ['{"case":', self._value(result.case_id), ',"policy":', head[1], ',"decisions":']
        self._decisions(result, result.decisions, None, out)
        out.append(',"projects":[')
        for i, project in enumerate(result.projects):
            out.append('{"id":' if not i else ',{"id":')
            out.append(self._value(project.id))
            out.append(',"decisions":')
            self._decisions(result, project.decisions, i, out)
            out.append("}")
        out.append("]")
        out.append(self._tail)
        return "".join(out)

    def sources_record(self, policy) -> str | None:
        """The sources record of a version: its citations not in an earlier record
        (None when there are none left to write)."""
        new = {}
        for text in _sources_of(policy):
            source_id = self._source_id(text)
            if source_id not in self._written:
                new[source_id] = text
                self._written.add(source_id)
        if not new:
            return None
        return dumps({"sources": new})[:-1] + ',"policy":' + dumps(dict(policy.meta)) + "}"

    def _source_id(self, text: str) -> str:
        known = self._source_ids.get(text)
        if known is None:
            known = "S-" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
            if known in self._source_ids.values():  # 64 bits: never seen; never let it go unnoticed
                raise ValueError(f"two citations share the source id {known}")
            self._source_ids[text] = known
        return known

    def _decisions(self, result, decisions: dict, index: int | None, out: list) -> None:
        if not decisions:
            out.append("{}")
            return
        keys, rule_lists, explain = self._keys, self._rules, self.explain
        opening = "{"
        for name, d in decisions.items():
            key = keys.get(name)
            if key is None:
                key = keys[name] = json_string(name) + ':{"value":'
            value = d.value
            shown = "true" if value is True else "false" if value is False else self._value(value)
            rules = d.rules
            listed = rule_lists.get(rules) if type(rules) is tuple else None
            if listed is None:
                listed = self._rule_list(rules)
            if explain:
                out.append(opening + key + shown + listed + ',"explanation":'
                           + self._explanation(result._explained(name, index, self.lang)) + "}")
            else:
                out.append(opening + key + shown + listed + "}")
            opening = ","
        out.append("}")

    def _value(self, value) -> str:
        kind = type(value)
        if kind is bool:
            return "true" if value else "false"
        if value is None:
            return "null"
        if kind is str:
            return self._encoded.string(value)
        if kind is Decimal:
            return self._encoded.decimal(value)
        return dumps(json_value(value))  # dates, durations, lists: as the reference writes them

    def _rule_list(self, rules) -> str:
        """`,"rules":[...]` for these rule ids (kept by their tuple)."""
        key = tuple(rules)
        out = self._rules.get(key)
        if out is None:
            out = self._rules[key] = ',"rules":' + dumps(list(key))
        return out

    def _explanation(self, entries: list) -> str:
        if not entries:
            return "[]"
        parts = []
        for entry in entries:
            if tuple(entry) != _EXPLANATION_KEYS:
                parts.append(dumps(entry))
                continue
            rule, source = entry["rule"], entry["source"]
            if self.refs and source is not None and source in self._version_sources[id(self._policy_now)]:
                source = self._source_id(source)  # (one the version does not list stays written out)
            parts.append('{"rule":' + ("null" if rule is None else self._encoded.string(rule))
                         + ',"source":' + ("null" if source is None else self._encoded.string(source))
                         + ',"text":' + json_string(entry["text"]) + "}")
        return "[" + ",".join(parts) + "]"


def _sources_of(policy) -> list[str]:
    """Every citation a version's explanations can show, in the policy's order."""
    from .explain_render import citation

    out: dict[str, None] = {}
    for node in policy.model.nodes.values():
        for source in [node.source] + [rule.source for rule in node.rules]:
            if source is not None:
                out.setdefault(citation(source))
    return list(out)
