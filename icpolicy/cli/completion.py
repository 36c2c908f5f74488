"""Shell completion of version ids and decision names (click's own completion).

Enable it with click's variable, e.g. for bash:
`eval "$(_ICPOLICY_COMPLETE=bash_source icpolicy)"` (zsh_source, fish_source for the others).
The policy is the one the command line names so far (--policy, or a policy
directory argument), else the bundled one. Completion never fails: a policy that
does not load completes nothing.
"""

from __future__ import annotations

from pathlib import Path

import click
from click.shell_completion import CompletionItem

from ..diagnostics import IcpolicyError

# The parameters that name a policy, in the commands that have one.
_POLICY_PARAMS = ("policy_path", "policy_dir", "path")


def _policy_in(ctx: click.Context):
    from .. import load_policy

    named = next((ctx.params[p] for p in _POLICY_PARAMS if ctx.params.get(p)), None)
    try:
        return load_policy(named)
    except (IcpolicyError, OSError, RecursionError):
        return None


def complete_version(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    policy = _policy_in(ctx)
    if policy is None:
        return []
    items = []
    for version in policy.versions:
        model = version.model
        if model.version.startswith(incomplete):
            period = f"{model.effective_from or 'always'} to {model.effective_to or 'further notice'}"
            items.append(CompletionItem(model.version, help=period))
    return items


def complete_decision(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    policy = _policy_in(ctx)
    if policy is None:
        return []
    names: dict[str, None] = {}
    for version in policy.versions:
        names.update(dict.fromkeys(version.output_names))
    return [CompletionItem(name) for name in names if name.startswith(incomplete)]


def complete_version_or_path(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """`diff OLD NEW`: a version id of the policy, or a file or directory."""
    items = complete_version(ctx, param, incomplete)
    if not Path(incomplete).is_dir() and any(i.value == incomplete for i in items):
        return items
    return items + [CompletionItem(incomplete, type="file")]
