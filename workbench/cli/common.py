"""Options and helpers shared by subcommands."""
from __future__ import annotations

import argparse
import json
import sys


def add_dsn_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dsn",
        help="PostgreSQL connection string (default: WORKBENCH_DSN, else the embedded demo server)",
    )


def add_format_option(parser: argparse.ArgumentParser, choices=("table", "json")) -> None:
    parser.add_argument("--format", choices=choices, default=choices[0],
                        help=f"output format (default: {choices[0]}); json is for scripts and CI")


def print_json(data) -> None:
    json.dump(data, sys.stdout, indent=2, default=str, ensure_ascii=False)
    sys.stdout.write("\n")
