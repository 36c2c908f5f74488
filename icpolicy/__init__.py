"""icpolicy: policy-as-code for Norway's rules on industrial cooperation in defence procurement.

    import icpolicy
    policy = icpolicy.load_policy()            # the bundled current BIF policy
    result = policy.evaluate(case)             # a mapping shaped like a case document
    result.decisions["ica_required"].value     # True / False
    result.decisions["ica_required"].rules     # ("R-FOREIGN-THRESHOLD",)
    result.to_dict()                           # the JSON object of docs/output-format.md
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# The API's names are imported when first used, so that `icpolicy --help` and a command
# that needs only part of the package do not import the whole engine.
_LAZY = {
    "Diagnostic": ".diagnostics",
    "IcpolicyError": ".diagnostics",
    "Span": ".diagnostics",
    "CompiledPolicy": ".engine.evaluate",
    "EvaluationError": ".engine.evaluate",
    "DecisionResult": ".engine.result",
    "ProjectResult": ".engine.result",
    "Result": ".engine.result",
    "VersionedPolicy": ".engine.versioned",
}

if TYPE_CHECKING:
    from .diagnostics import Diagnostic, IcpolicyError, Span
    from .engine.evaluate import CompiledPolicy, EvaluationError
    from .engine.result import DecisionResult, ProjectResult, Result
    from .engine.versioned import VersionedPolicy


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'icpolicy' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value


def load_policy(path: str | Path | None = None) -> VersionedPolicy:
    """Load, check and compile a policy: a directory (policy.yaml and versions/*.yaml)
    or one file. Without a path, the bundled BIF policy.

    Each case is decided by the version in force on its date. Raises IcpolicyError
    listing every problem found, each with file:line:col.
    """
    from .cases.schema import bundled_case_schema
    from .engine.versioned import compile_versions
    from .policy.versions import load_versions
    from .resources import default_policy_path

    case_schema = bundled_case_schema()  # one input to every stage that reads cases
    versions = load_versions(path if path is not None else default_policy_path())
    return compile_versions(versions, case_schema)


__all__ = [
    "CompiledPolicy",
    "DecisionResult",
    "Diagnostic",
    "EvaluationError",
    "IcpolicyError",
    "ProjectResult",
    "Result",
    "Span",
    "VersionedPolicy",
    "__version__",
    "load_policy",
]
