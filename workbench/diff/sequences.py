"""Sequences (identity sequences come and go with their columns).

A sequence whose bounds narrow has its current value moved inside them first, as ``ALTER
SEQUENCE`` requires; a sequence owned by a column that is dropped goes with it.
"""
from __future__ import annotations

from dataclasses import replace

from . import phases
from .sqltext import literal, qualified, quote_ident


def plan(p) -> None:
    """Create, drop, rename and alter sequences (identity sequences come with their columns),
    and set what owns them. A sequence owned by a table that is dropped and made again goes
    with it, so it is made again too."""
    rename_identities(p)
    old = {(s.schema, s.name): s for s in p.before.objects.sequences if not s.identity}
    new = {(s.schema, s.name): s for s in p.after.objects.sequences if not s.identity}
    for was, now in renamed(old, new):
        rename(p, was, now)
        old[(now.schema, now.name)] = replace(was, schema=now.schema, name=now.name)
        del old[(was.schema, was.name)]
    made_again = {k for k in old.keys() & new.keys()
                  if old[k].owned_by and goes_with_owner(p, old[k].owned_by)}
    for key in sorted((new.keys() - old.keys()) | made_again):
        seq = new[key]
        p.emit(phases.CREATE_SEQUENCE, f"CREATE SEQUENCE {qualified(*key)}{options(seq)};", ".".join(key))
        if seq.owned_by:
            own(p, seq)
    gone_schemas = {s.name for s in p.before.objects.schemas} - {s.name for s in p.after.objects.schemas}
    for key in sorted(old.keys() - new.keys()):
        seq = old[key]
        if seq.owned_by and goes_with_owner(p, seq.owned_by):
            continue  # dropped with its table or column
        # after the column defaults that used it have changed, unless its schema goes
        phase = phases.DROP_SEQUENCE if key[0] in gone_schemas else phases.DROP_OLD_SEQUENCE
        p.emit(phase, f"DROP SEQUENCE {qualified(*key)};", ".".join(key),
               destructive=f"drops sequence {key[0]}.{key[1]} and its current value")
    for key in sorted((old.keys() & new.keys()) - made_again):
        was, now = old[key], new[key]
        if options(was) != options(now):
            clamp(p, was, now)
            p.emit(phases.CREATE_SEQUENCE, f"ALTER SEQUENCE {qualified(*key)}{options(now)};", ".".join(key))
        if was.owned_by != now.owned_by:
            own(p, now)


def renamed(old: dict, new: dict) -> list:
    """``(old, new)`` sequences, one removed and one added, owned by the same column: the
    sequence is renamed (keeping its current value), not dropped and made anew."""
    came = {s.owned_by: s for key, s in new.items() if key not in old and s.owned_by}
    return [(s, came[s.owned_by]) for key, s in sorted(old.items())
            if key not in new and s.owned_by in came]


def rename_identities(p) -> None:
    """An identity column's sequence named otherwise in the desired schema (its table was
    renamed, say) is renamed."""
    old = {s.owned_by: s for s in p.before.objects.sequences if s.identity}
    for seq in p.after.objects.sequences:
        was = old.get(seq.owned_by) if seq.identity else None
        if was is not None and (was.schema, was.name) != (seq.schema, seq.name) \
                and not p.is_gone(tuple(seq.owned_by[:2])):
            rename(p, was, seq)


def rename(p, was, now) -> None:
    """``ALTER SEQUENCE … RENAME TO`` (and ``SET SCHEMA``), after the tables' renames."""
    name = qualified(was.schema, was.name)
    if was.name != now.name:
        p.emit(phases.RENAME, f"ALTER SEQUENCE {name} RENAME TO {quote_ident(now.name)};", name, order=4)
        name = qualified(was.schema, now.name)
    if was.schema != now.schema:
        p.emit(phases.RENAME, f"ALTER SEQUENCE {name} SET SCHEMA {quote_ident(now.schema)};", name, order=5)


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
