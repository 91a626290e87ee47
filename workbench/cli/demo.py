"""``workbench demo``: build the demo databases (idempotent)."""
from __future__ import annotations

import time

from .common import print_json


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo", help="build the nursery and agent demo databases (skips what is already built)",
        description="Build the demo databases on the embedded server (or the server of --dsn). "
        "Building is idempotent: a demo already built at the same scale is left as it is.")
    parser.add_argument("--dsn", help="admin DSN of the server to build on (default: embedded server)")
    parser.add_argument("--only", choices=("nursery", "agent"), action="append",
                        help="build only this demo (repeatable)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="data volume factor (default 1.0: the largest tables hold 1M+ rows)")
    parser.add_argument("--force", action="store_true", help="rebuild even when already built")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--json", action="store_true", help="print the DSNs of the built demos as JSON")
    parser.set_defaults(run=run)


def run(args) -> int:
    from .. import embedded
    from ..dsn import mask_dsn
    from ..samples import DEMOS, build_demos

    admin = args.dsn or embedded.server_dsn("postgres")
    names = tuple(args.only or DEMOS)
    started = time.perf_counter()
    with embedded.build_lock("demos"):
        dsns = build_demos(admin, names, scale=args.scale, progress=not args.quiet, force=args.force)
    if args.json:
        print_json({name: mask_dsn(dsn) for name, dsn in dsns.items()})
    else:
        for name, dsn in dsns.items():
            print(f"{name:8} ready  {mask_dsn(dsn)}")
        print(f"done in {time.perf_counter() - started:.1f} s")
    return 0
