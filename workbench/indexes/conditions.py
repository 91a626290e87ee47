"""Classifying the AND-ed conditions of a WHERE or JOIN clause: which table, which key, what kind.

Besides single comparisons: a row comparison ``(created_at, id) < ($1, $2)`` (keyset
pagination) is a range on its first key; an ``OR`` whose arms each constrain the same table
is kept as a group of arms, each arm's conditions read like a WHERE clause of its own.
"""
from __future__ import annotations

from pglast import ast, enums

from .query import Condition
from .sqlparts import RANGE_OPS, conjuncts, constant_value, predicate_text, refs, unqualified


class ConditionReader:
    """The condition half of :class:`~.reader.Reader` (which provides ``key()``)."""

    def clauses(self, scope: Scope, clauses) -> None:
        for clause in clauses:
            for conjunct in conjuncts(clause):
                self.condition(scope, conjunct)

    def condition(self, scope: Scope, node) -> None:
        """Classify one AND-ed condition and record it on the table it constrains."""
        if isinstance(node, ast.A_Expr):
            self.a_expr(scope, node)
        elif isinstance(node, ast.NullTest):
            op = "null" if node.nulltesttype == enums.NullTestType.IS_NULL else "not_null"
            self.constant_condition(scope, node.arg, op, node)
        elif isinstance(node, ast.ColumnRef):
            self.constant_condition(scope, node, "bool", node)
        elif isinstance(node, ast.BoolExpr) and node.boolop == enums.BoolExprType.NOT_EXPR:
            if isinstance(node.args[0], ast.ColumnRef):
                self.constant_condition(scope, node.args[0], "bool", node)
        elif isinstance(node, ast.BoolExpr) and node.boolop == enums.BoolExprType.OR_EXPR:
            if not self.or_of_equalities(scope, node):
                self.or_of_arms(scope, node)
        elif isinstance(node, ast.SubLink) and node.subLinkType == enums.SubLinkType.ANY_SUBLINK:
            key = self.key(scope, node.testexpr)
            if key is not None:
                key[0].joins.append(key[1])

    def constant_condition(self, scope: Scope, target, op: str, whole) -> None:
        key = self.key(scope, target)
        if key is not None:
            key[0].conditions.append(Condition(key[1], op, True, unqualified(whole)))

    def a_expr(self, scope: Scope, node: ast.A_Expr) -> None:
        kind = node.kind
        name = node.name[-1].sval if node.name else ""
        if kind == enums.A_Expr_Kind.AEXPR_OP and name in {"=", "<>", "!=", *RANGE_OPS}:
            self.comparison(scope, node, name)
        elif kind == enums.A_Expr_Kind.AEXPR_IN and name == "=":
            self.valued(scope, node, node.lexpr, node.rexpr, "in")
        elif kind == enums.A_Expr_Kind.AEXPR_OP_ANY and name == "=":
            self.valued(scope, node, node.lexpr, node.rexpr, "in")
        elif kind in (enums.A_Expr_Kind.AEXPR_BETWEEN, enums.A_Expr_Kind.AEXPR_BETWEEN_SYM):
            self.valued(scope, node, node.lexpr, node.rexpr, "range")
        elif kind in (enums.A_Expr_Kind.AEXPR_LIKE, enums.A_Expr_Kind.AEXPR_ILIKE) and name in ("~~", "~~*"):
            self.like(scope, node, name == "~~*")

    def comparison(self, scope: Scope, node: ast.A_Expr, name: str) -> None:
        op = "eq" if name == "=" else "ne" if name in ("<>", "!=") else "range"
        if isinstance(node.lexpr, ast.RowExpr) and isinstance(node.rexpr, ast.RowExpr):
            if op == "range":
                self.row_range(scope, node)
            return
        left, right = self.key(scope, node.lexpr), self.key(scope, node.rexpr)
        if left and right and left[0] is not right[0]:
            if op == "eq":
                left[0].joins.append(left[1])
                right[0].joins.append(right[1])
            return
        if left and not right:
            self.valued(scope, node, node.lexpr, node.rexpr, op, flip=False)
        elif right and not left:
            self.valued(scope, node, node.rexpr, node.lexpr, op, flip=True)

    def row_range(self, scope: Scope, node: ast.A_Expr) -> None:
        """``(a, b) < (x, y)``: a range on ``a`` (an index on ``(a, b)`` serves the whole row)."""
        for keys_side, values_side, flip in ((node.lexpr, node.rexpr, False), (node.rexpr, node.lexpr, True)):
            keys = [self.key(scope, arg) for arg in keys_side.args or ()]
            if keys and all(keys) and len({id(access) for access, _ in keys}) == 1:
                value_refs = refs(values_side)
                if value_refs.columns or value_refs.unsafe:
                    return
                access, first = keys[0]
                constant = not value_refs.params and not value_refs.calls
                access.conditions.append(Condition(first, "range", constant, predicate_text(node, flip),
                                                   tuple(value_refs.params)))
                return

    def valued(self, scope: Scope, node, target, value, op: str, flip: bool = False) -> None:
        """A key compared with a value: a literal, a parameter, an outer column or an expression."""
        key = self.key(scope, target)
        if key is None:
            return
        access, found = key
        value_refs = refs(value)
        if value_refs.unsafe:
            return
        if value_refs.columns:
            outer = [self.key(scope, column) for column in value_refs.columns]
            if all(o is None or o[0] is not access for o in outer) and op in ("eq", "in"):
                access.joins.append(found)
            return
        constant = not value_refs.params and not value_refs.calls
        if op == "ne" and not constant:
            return
        text = predicate_text(node, flip)
        access.conditions.append(Condition(found, op, constant, text, tuple(value_refs.params),
                                           constant_value(value) if op == "eq" else None))

    def like(self, scope: Scope, node: ast.A_Expr, insensitive: bool) -> None:
        key = self.key(scope, node.lexpr)
        if key is None:
            return
        pattern = constant_value(node.rexpr)
        value_refs = refs(node.rexpr)
        if value_refs.columns or value_refs.unsafe:
            return
        prefix = isinstance(pattern, str) and pattern[:1] not in ("%", "_") and not insensitive
        op = "like" if prefix else "contains"
        key[0].conditions.append(Condition(key[1], op, pattern is not None, unqualified(node),
                                           tuple(value_refs.params), pattern))

    def or_of_equalities(self, scope: Scope, node: ast.BoolExpr) -> bool:
        """``a = 1 OR a = 2`` on one key reads like ``a IN (1, 2)``; True when it did."""
        keys, constant = set(), True
        for arm in node.args:
            if not (isinstance(arm, ast.A_Expr) and arm.kind == enums.A_Expr_Kind.AEXPR_OP
                    and arm.name[-1].sval == "="):
                return False
            key = self.key(scope, arm.lexpr)
            value_refs = refs(arm.rexpr)
            if key is None or value_refs.columns:
                return False
            keys.add((id(key[0]), key[1]))
            constant = constant and not value_refs.params and not value_refs.calls
        if len(keys) != 1:
            return False
        access, found = self.key(scope, node.args[0].lexpr)
        access.conditions.append(Condition(found, "in", constant, unqualified(node)))
        return True

    def or_of_arms(self, scope: Scope, node: ast.BoolExpr) -> None:
        """``a = 1 OR (b = 1 AND c > 2)`` on one table: the arms' conditions, as a group."""
        arms, owners = [], set()
        for arm in node.args:
            found = self.arm_conditions(scope, arm)
            if not found:
                return
            owners |= {id(access) for access, _ in found}
            arms.append(found)
        if len(owners) == 1:
            access = arms[0][0][0]
            access.any_of.append(tuple(tuple(condition for _, condition in arm) for arm in arms))

    def arm_conditions(self, scope: Scope, arm) -> list:
        """The (access, condition) pairs one OR arm makes, read as a WHERE clause of its own and
        taken off the accesses again; empty when the arm also joins or reads nothing indexable."""
        before = {id(a): (len(a.conditions), len(a.joins), len(a.any_of)) for a in self.accesses}
        self.clauses(scope, [arm])
        found, joined = [], False
        for access in self.accesses:
            conditions, joins, groups = before.get(id(access), (0, 0, 0))
            found += [(access, condition) for condition in access.conditions[conditions:]]
            joined |= len(access.joins) > joins or len(access.any_of) > groups
            del access.conditions[conditions:], access.joins[joins:], access.any_of[groups:]
        return [] if joined else found

