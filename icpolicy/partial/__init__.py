"""Deciding with facts still missing: three-valued evaluation, questions, why-not.

    result = policy.evaluate(case, partial=True)
    result.decisions["ica_required"].state     # "decided" or "open"
    result.questions                           # the facts to ask, most settling first
    result.edges                               # what would change each decided value
"""

from .api import evaluate_partial
from .result import DECIDED, OPEN, DecisionState, PartialResult

__all__ = ["DECIDED", "OPEN", "DecisionState", "PartialResult", "evaluate_partial"]
