"""Sequences (identity sequences come and go with their columns).

A sequence whose bounds narrow has its current value moved inside them first, as ``ALTER
SEQUENCE`` requires; a sequence owned by a column that is dropped goes with it.
"""
from __future__ import annotations

from . import phases
from .sqltext import literal, qualified, quote_ident


def plan(p) -> None:
    """Create, drop and alter sequences (identity sequences come with their columns), and
    set what owns them. A sequence owned by a table that is dropped and made again goes with
    it, so it is made again too."""
    old = {(s.schema, s.name): s for s in p.before.objects.sequences if not s.identity}
    new = {(s.schema, s.name): s for s in p.after.objects.sequences if not s.identity}
    made_again = {k for k in old.keys() & new.keys()
                  if old[k].owned_by and goes_with_owner(p, old[k].owned_by)}
    for key in sorted((new.keys() - old.keys()) | made_again):
        seq = new[key]
        p.emit(phases.CREATE_SEQUENCE, f"CREATE SEQUENCE {qualified(*key)}{options(seq)};", ".".join(key))
        if seq.owned_by:
            own(p, seq)
    for key in sorted(old.keys() - new.keys()):
        seq = old[key]
        if seq.owned_by and goes_with_owner(p, seq.owned_by):
            continue  # dropped with its table or column
        p.emit(phases.DROP_SEQUENCE, f"DROP SEQUENCE {qualified(*key)};", ".".join(key))
    for key in sorted((old.keys() & new.keys()) - made_again):
        was, now = old[key], new[key]
        if options(was) != options(now):
            clamp(p, was, now)
            p.emit(phases.CREATE_SEQUENCE, f"ALTER SEQUENCE {qualified(*key)}{options(now)};", ".".join(key))
        if was.owned_by != now.owned_by:
            own(p, now)


def goes_with_owner(p, owned_by) -> bool:
    """Whether the column owning a sequence is dropped (with its table or alone)."""
    schema, table, column = owned_by
    if p.is_gone((schema, table)):
        return True
    return column not in {c.name for c in p.new_tables[(schema, table)].columns}


def clamp(p, was, now) -> None:
    """Bring the current value into narrower bounds first: ``ALTER SEQUENCE`` refuses
    bounds that leave the current value outside. Only a value the new bounds exclude moves
    (to the nearest bound, not yet handed out)."""
    name = qualified(was.schema, was.name)
    if now.min_value > was.min_value and now.min_value <= was.max_value:
        p.emit(phases.CREATE_SEQUENCE, f"SELECT setval({literal(name)}, {now.min_value}, false) "
               f"FROM {name} WHERE last_value < {now.min_value};", f"{was.schema}.{was.name}")
    if now.max_value < was.max_value and now.max_value >= was.min_value:
        p.emit(phases.CREATE_SEQUENCE, f"SELECT setval({literal(name)}, {now.max_value}, false) "
               f"FROM {name} WHERE last_value > {now.max_value};", f"{was.schema}.{was.name}")


def options(seq) -> str:
    """Every option of a sequence, as ``CREATE`` and ``ALTER SEQUENCE`` take them."""
    cycle = " CYCLE" if seq.cycle else " NO CYCLE"
    return (f" AS {seq.type} INCREMENT BY {seq.increment} MINVALUE {seq.min_value} "
            f"MAXVALUE {seq.max_value} START WITH {seq.start}{cycle}")


def own(p, seq) -> None:
    """``OWNED BY`` the column the desired sequence belongs to (or ``NONE``)."""
    owner = "NONE"
    if seq.owned_by:
        schema, table, column = seq.owned_by
        owner = f"{qualified(schema, table)}.{quote_ident(column)}"
    p.emit(phases.OWN_SEQUENCE, f"ALTER SEQUENCE {qualified(seq.schema, seq.name)} OWNED BY {owner};",
           f"{seq.schema}.{seq.name}")
