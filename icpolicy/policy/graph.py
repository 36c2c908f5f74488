"""One graph walk for the loader: strongly connected components, in dependency order.

Definitions in the order they can be checked, decisions in the order they can be
evaluated, and rules that override one another round a circle are all the same
question about a directed graph. Tarjan's algorithm answers it in time linear in
nodes and edges, without recursion (a chain of 100 000 names is no deeper a stack).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import TypeVar

N = TypeVar("N", bound=Hashable)


def components(nodes: Iterable[N], successors: Callable[[N], Iterable[N]]) -> list[list[N]]:
    """The strongly connected components, each after every component it reaches (so,
    with edges pointing at what a node depends on, dependencies come first). Roots are
    taken in the order given; each component lists its nodes in the order reached."""
    index: dict[N, int] = {}
    low: dict[N, int] = {}
    stack: list[N] = []
    on_stack: set[N] = set()
    out: list[list[N]] = []

    def enter(node: N) -> Iterator[N]:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        return iter(successors(node))

    for root in nodes:
        if root in index:
            continue
        work = [(root, enter(root))]
        while work:
            node, pending = work[-1]
            for nxt in pending:
                if nxt not in index:
                    work.append((nxt, enter(nxt)))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    out.append(_pop_component(stack, on_stack, node))
    return out


def _pop_component(stack: list, on_stack: set, root) -> list:
    part = []
    while True:
        member = stack.pop()
        on_stack.discard(member)
        part.append(member)
        if member == root:
            break
    part.reverse()
    return part


def is_cycle(component: list[N], successors: Callable[[N], Iterable[N]]) -> bool:
    """Whether a component goes round: two or more nodes, or one that reaches itself."""
    return len(component) > 1 or component[0] in set(successors(component[0]))


def cycle_through(start: N, component: list[N], successors: Callable[[N], Iterable[N]]) -> list[N]:
    """A shortest way from `start` round to itself inside its component: [start, ..., start]."""
    inside = set(component)
    came_from: dict[N, N] = {}
    todo = deque([start])
    while todo:
        node = todo.popleft()
        for nxt in successors(node):
            if nxt == start:
                return _path(start, node, came_from)
            if nxt in inside and nxt not in came_from:
                came_from[nxt] = node
                todo.append(nxt)
    return [start]


def _path(start, last, came_from: dict) -> list:
    path = [last]
    while path[-1] != start:
        path.append(came_from[path[-1]])
    path.reverse()
    return [*path, start]
