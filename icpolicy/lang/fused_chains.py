"""The unrolled closures of `fused.bool_chain`: a chain of field tests in one call.

Each closure makes up to four tests `t(env[a][b], k)` (C functions, no Python call
per test) and then, where there is one, the rest of the chain. A test that meets a
missing value raises TypeError: the plain chain (`slow`) then runs and reports it
where it is. Written out by arity, because a loop over the tests would cost the
calls this saves.
"""

from __future__ import annotations

from collections.abc import Callable


def test_then_two(op: str, atom: tuple, r1: Callable, r2: Callable, slow: Callable) -> Callable:
    """`a and p and q` where a is a test of a field."""
    a1, b1, t1, k1 = atom
    if op == "and":

        def test_and_two(env):
            try:
                return t1(env[a1][b1], k1) and r1(env) and r2(env)
            except TypeError:
                return slow(env)

        return test_and_two

    def test_or_two(env):
        try:
            return t1(env[a1][b1], k1) or r1(env) or r2(env)
        except TypeError:
            return slow(env)

    return test_or_two


def tests_then(op: str, atoms: list, rest: Callable, slow: Callable) -> Callable:
    """`a and b and rest` where a and b are tests of fields: the tests run here."""
    if len(atoms) == 1:
        ((a1, b1, t1, k1),) = atoms
        if op == "and":

            def test_and(env):
                try:
                    return t1(env[a1][b1], k1) and rest(env)
                except TypeError:
                    return slow(env)

            return test_and

        def test_or(env):
            try:
                return t1(env[a1][b1], k1) or rest(env)
            except TypeError:
                return slow(env)

        return test_or
    if len(atoms) == 2:
        (a1, b1, t1, k1), (a2, b2, t2, k2) = atoms
        if op == "and":

            def tests2_and(env):
                try:
                    return t1(env[a1][b1], k1) and t2(env[a2][b2], k2) and rest(env)
                except TypeError:
                    return slow(env)

            return tests2_and

        def tests2_or(env):
            try:
                return t1(env[a1][b1], k1) or t2(env[a2][b2], k2) or rest(env)
            except TypeError:
                return slow(env)

        return tests2_or
    (a1, b1, t1, k1), (a2, b2, t2, k2), (a3, b3, t3, k3) = atoms
    if op == "and":

        def tests3_and(env):
            try:
                return t1(env[a1][b1], k1) and t2(env[a2][b2], k2) and t3(env[a3][b3], k3) and rest(env)
            except TypeError:
                return slow(env)

        return tests3_and

    def tests3_or(env):
        try:
            return t1(env[a1][b1], k1) or t2(env[a2][b2], k2) or t3(env[a3][b3], k3) or rest(env)
        except TypeError:
            return slow(env)

    return tests3_or


def fused_chain(op: str, atoms: list, slow: Callable) -> Callable:
    """`a and b and c` where each part is one test of a field: the tests run in one
    closure, calling only C functions. A part that fails (a missing value compared
    with <) is left to the ordinary chain, which says where."""
    if len(atoms) == 2:
        (a1, b1, t1, k1), (a2, b2, t2, k2) = atoms
        if op == "and":

            def and2(env):
                try:
                    return t1(env[a1][b1], k1) and t2(env[a2][b2], k2)
                except TypeError:
                    return slow(env)

            return and2

        def or2(env):
            try:
                return t1(env[a1][b1], k1) or t2(env[a2][b2], k2)
            except TypeError:
                return slow(env)

        return or2
    if len(atoms) == 3:
        (a1, b1, t1, k1), (a2, b2, t2, k2), (a3, b3, t3, k3) = atoms
        if op == "and":

            def and3(env):
                try:
                    return t1(env[a1][b1], k1) and t2(env[a2][b2], k2) and t3(env[a3][b3], k3)
                except TypeError:
                    return slow(env)

            return and3

        def or3(env):
            try:
                return t1(env[a1][b1], k1) or t2(env[a2][b2], k2) or t3(env[a3][b3], k3)
            except TypeError:
                return slow(env)

        return or3
    (a1, b1, t1, k1), (a2, b2, t2, k2), (a3, b3, t3, k3), (a4, b4, t4, k4) = atoms
    if op == "and":

        def and4(env):
            try:
                return t1(env[a1][b1], k1) and t2(env[a2][b2], k2) and t3(env[a3][b3], k3) and t4(env[a4][b4], k4)
            except TypeError:
                return slow(env)

        return and4

    def or4(env):
        try:
            return t1(env[a1][b1], k1) or t2(env[a2][b2], k2) or t3(env[a3][b3], k3) or t4(env[a4][b4], k4)
        except TypeError:
            return slow(env)

    return or4


def varying_chain(op: str, tests: list, slow: Callable) -> Callable:
    """`x.date > window_start and x.date <= date`: tests of fields against values that
    vary by case, in one closure (a filter's condition runs once per item)."""
    (a1, b1, t1, r1), (a2, b2, t2, r2) = tests
    if op == "and":

        def and2(env):
            try:
                return t1(env[a1][b1], r1(env)) and t2(env[a2][b2], r2(env))
            except TypeError:
                return slow(env)

        return and2

    def or2(env):
        try:
            return t1(env[a1][b1], r1(env)) or t2(env[a2][b2], r2(env))
        except TypeError:
            return slow(env)

    return or2


__all__ = ["fused_chain", "test_then_two", "tests_then", "varying_chain"]
