"""`icpolicy eval --partial` and `--why-not`: the loop over case documents.

With `--partial`, each case is decided three-valued (unknown facts allowed) and its
questions are printed; with `--why-not`, each decided value resting on a threshold
also gets its nearest edge. `--why-not` alone reads cases as `eval` does (defaults
applied) and prints the usual result followed by the edges.
"""

from __future__ import annotations

import sys

from ..cases.inputs import iter_case_documents
from ..diagnostics import IcpolicyError
from ..values import dumps
from .api import evaluate_partial
from .render import render_edges, render_partial


def eval_partial(
    policy, cases, fmt: str, wanted, as_of, version, partial: bool, why_not: bool, explain: bool, report, lang: str = "en"
) -> int:
    """Decide and print every case; the exit status (0, or 1 when a case failed)."""
    out = sys.stdout
    failures = 0
    items = []
    for n, item in enumerate(iter_case_documents(cases)):
        if item.error is not None:
            failures += 1
            report(item.error.diagnostics)
            continue
        try:
            text, obj = _one(policy, item, (wanted, as_of, version), partial, why_not, explain, fmt, lang)
        except IcpolicyError as exc:
            failures += 1
            report(exc.diagnostics)
            continue
        if fmt == "text":
            out.write(("\n" if n else "") + text + "\n")
        elif fmt == "jsonl":
            out.write(dumps(obj) + "\n")
        else:
            items.append(obj)
    if fmt == "json" and items:
        out.write(dumps(items[0] if len(items) == 1 else items, indent=2) + "\n")
    return 1 if failures else 0


def _one(policy, item, options, partial, why_not, explain, fmt, lang):
    data, doc = item.doc.data, item.doc
    wanted, as_of, version = options
    result = evaluate_partial(policy, data, doc, wanted, as_of, version, complete=not partial, lang=lang)
    if partial:
        text = render_partial(result, explain, True, why_not, lang) if fmt == "text" else ""
        return text, result.to_dict(explain, True, why_not)
    # --why-not alone: the case as eval decides it, then its edges.
    full = policy.evaluate(data, decisions=wanted, doc=doc, as_of=as_of, version=version)
    if fmt == "text":
        from ..cli.render_text import render_result

        return render_result(full, explain, lang, True) + "\n" + "\n".join(render_edges(result.edges, lang)), None
    obj = full.to_dict(explain, lang)
    obj["why_not"] = [e.to_dict() for e in result.edges]
    return "", obj
