"""icpolicy: policy-as-code for Norway's rules on industrial cooperation in defence procurement.

    import icpolicy
    policy = icpolicy.load_policy()            # the bundled current BIF policy
    result = policy.evaluate(case)             # a mapping shaped like a case document
    result.decisions["ica_required"].value     # True / False
    result.decisions["ica_required"].rules     # ("R-FOREIGN-THRESHOLD",)
    result.to_dict()                           # the JSON object of docs/output-format.md
"""

from __future__ import annotations

from pathlib import Path

from .diagnostics import Diagnostic, IcpolicyError, Span
from .engine.evaluate import CompiledPolicy, EvaluationError
from .engine.result import DecisionResult, ProjectResult, Result

__version__ = "0.1.0"


def load_policy(path: str | Path | None = None) -> CompiledPolicy:
    """Load, check and compile a policy (a file or a directory with policy.yaml).

    Without a path, the bundled current BIF policy. Raises IcpolicyError listing
    every problem found, each with file:line:col.
    """
    from .policy.loader import load_model
    from .resources import default_policy_path

    model, doc = load_model(path if path is not None else default_policy_path())
    return CompiledPolicy(model, doc)


__all__ = [
    "CompiledPolicy",
    "DecisionResult",
    "Diagnostic",
    "EvaluationError",
    "IcpolicyError",
    "ProjectResult",
    "Result",
    "Span",
    "__version__",
    "load_policy",
]
