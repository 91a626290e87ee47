"""TypeScript types of real databases: hostile names give valid TypeScript (checked by the
TypeScript compiler when ``tsc`` is on PATH or in ``WORKBENCH_TSC``), the nursery demo
renders, and the ``workbench types`` command writes and checks a file."""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import psycopg
import pytest

import workbench
from workbench.cli import main
from workbench.testing import scratch_database
from workbench.typegen import typescript

HOSTILE_SQL = r'''
CREATE SCHEMA "we""ird sch ema";
CREATE TYPE "we""ird sch ema"."mo od" AS ENUM ('a"b', 'c\d', 'line
break', '</script>', '${x}');
CREATE TABLE "we""ird sch ema"."select" (
    "id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "two words" text NOT NULL,
    "quo""te" int DEFAULT 1,
    "back\slash" jsonb,
    "__proto__" "we""ird sch ema"."mo od"[],
    "ü" numeric GENERATED ALWAYS AS (1) STORED,
    "1st" date,
    "*/ end" uuid
);
CREATE TABLE "we""ird sch ema"."child ""table""" (
    "parent id" bigint PRIMARY KEY REFERENCES "we""ird sch ema"."select" ("id"),
    "$mood" "we""ird sch ema"."mo od" NOT NULL
);
CREATE VIEW "we""ird sch ema"."v iew" AS SELECT "two words" FROM "we""ird sch ema"."select";
CREATE FUNCTION "we""ird sch ema"."f n"("arg one" int, "ar""g" text DEFAULT 'x') RETURNS SETOF text
    LANGUAGE sql AS $$ SELECT 'x' $$;
CREATE FUNCTION "we""ird sch ema"."f n"(x int) RETURNS TABLE("out col" int, "b" text)
    LANGUAGE sql AS $$ SELECT 1, 'b' $$;
'''


def tsc() -> str | None:
    """The TypeScript compiler, if one can be run here."""
    return os.environ.get("WORKBENCH_TSC") or shutil.which("tsc")


@pytest.fixture(scope="module")
def hostile_schema(pg18):
    with scratch_database(pg18, prefix="wb_typegen") as dsn:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(HOSTILE_SQL)
        with workbench.connect(dsn) as session:
            yield workbench.inspect(session)


def test_hostile_names_become_quoted_keys(hostile_schema):
    text = typescript(hostile_schema, ['we"ird sch ema'])
    assert '"we\\"ird sch ema": {' in text
    assert '"two words": string' in text and '"quo\\"te"?: number | null' in text
    assert '__proto__?: Database["we\\"ird sch ema"]["Enums"]["mo od"][] | null' in text
    assert '["__proto__"]' not in text  # only value-level keys need the computed form
    assert '"ü"?: never' in text and '"1st": string | null' in text
    assert '"mo od": "a\\"b" | "c\\\\d" | "line\\nbreak" | "</script>" | "${x}"' in text
    assert 'isOneToOne: true' in text and 'referencedRelation: "select"' in text
    assert '"f n":\n        | {' in text  # overloads: a union
    assert all(line.isprintable() for line in text.splitlines())


def test_quoted_keys_are_json_strings(hostile_schema):
    text = typescript(hostile_schema, ['we"ird sch ema'])
    for line in text.split("export type Database = ")[1].split("\n\n")[0].splitlines():
        stripped = line.strip()
        if stripped.startswith('"') and ":" in stripped:
            key, _ = split_key(stripped)
            json.loads(key)  # a valid string literal, escapes and all


def split_key(line: str) -> tuple[str, str]:
    """The quoted key at the start of ``line`` and the rest."""
    decoder = json.JSONDecoder()
    _, end = decoder.raw_decode(line)
    return line[:end], line[end:]


@pytest.mark.skipif(tsc() is None, reason="no TypeScript compiler (tsc) on PATH or in WORKBENCH_TSC")
def test_hostile_names_compile_with_tsc(hostile_schema, tmp_path):
    source = tmp_path / "database.ts"
    source.write_text(typescript(hostile_schema) + USE_TYPES, encoding="utf-8")
    result = subprocess.run([tsc(), "--strict", "--noEmit", "--target", "es2020", str(source)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


USE_TYPES = '''
type Row = Tables<'we"ird sch ema', "select">
const mood: Enums<'we"ird sch ema', "mo od"> = "</script>"
const insert: TablesInsert<'we"ird sch ema', "select"> = { "two words": "x" }
const labels: readonly string[] = Constants['we"ird sch ema'].Enums["mo od"]
export const used: [Row | null, typeof mood, typeof insert, typeof labels] = [null, mood, insert, labels]
'''


def test_nursery_demo_renders():
    with workbench.connect() as session:
        text = typescript(workbench.inspect(session), ["nursery"])
    assert 'status: Database["nursery"]["Enums"]["order_status"]' in text
    assert "price_lists: {" in text and "user_org_ids: {" in text


def types_command(*argv: str) -> int:
    """Run ``workbench types`` with ``argv`` in this process."""
    return main(["types", *argv])


def test_cli_writes_and_checks_the_file(tmp_path, capsys):
    path = tmp_path / "database.ts"
    options = ("--schema", "nursery", "--lang", "ts", "-o", str(path))
    assert types_command(*options) == 0
    assert path.read_text().count("export type Database") == 1
    assert types_command(*options, "--check") == 0 and "matches" in capsys.readouterr().out
    path.write_text(path.read_text() + "// edited\n")
    assert types_command(*options, "--check") == 1 and "differs" in capsys.readouterr().out


def test_cli_prints_to_standard_output(capsys):
    assert types_command("--schema", "auth") == 0
    assert capsys.readouterr().out.startswith("// Types of the database")
