"""``workbench server``: start, stop or show the embedded PostgreSQL."""
from __future__ import annotations


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "server", help="start, stop or show the embedded PostgreSQL",
        description="The embedded PostgreSQL lives in .workbench/pgdata under the project and keeps "
        "running between sessions until stopped.")
    parser.add_argument("action", choices=("start", "stop", "status"))
    parser.set_defaults(run=run)


def run(args) -> int:
    from .. import embedded
    from ..dsn import mask_dsn

    if args.action == "start":
        print(f"running  {mask_dsn(embedded.server_dsn())}")
    elif args.action == "stop":
        print("stopped" if embedded.stop() else "not running")
    else:
        running = embedded.is_running()
        print(f"{'running' if running else 'stopped'}  data: {embedded.data_dir()}")
        return 0 if running else 1
    return 0
