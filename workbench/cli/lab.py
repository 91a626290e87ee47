"""``workbench lab``: JupyterLab on the notebooks, with the demo databases ready."""
from __future__ import annotations

import os
import secrets
import sys


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "lab", help="open JupyterLab on notebooks/ with the demo databases ready",
        description="Build the demo databases if needed, then start JupyterLab on notebooks/ "
        "and print the URL to open.")
    parser.add_argument("--port", type=int, default=8888, help="port to listen on (default 8888)")
    parser.add_argument("--ip", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--no-demo", action="store_true", help="do not build the demo databases first")
    parser.set_defaults(run=run)


def run(args) -> int:
    from .. import embedded
    from ..samples import build_demos

    if not args.no_demo:
        with embedded.build_lock("demos"):
            build_demos(embedded.server_dsn("postgres"))
    quiet_news_toast()
    notebooks = embedded.project_home() / "notebooks"
    token = secrets.token_hex(16)
    print(f"\nSchema Workbench: open http://{args.ip}:{args.port}/lab?token={token}\n", flush=True)
    argv = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--ServerApp.token={token}",
            f"--port={args.port}", f"--ServerApp.ip={args.ip}", f"--notebook-dir={notebooks}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.geteuid() == 0:
        argv.append("--allow-root")
    os.execv(sys.executable, argv)


def quiet_news_toast() -> None:
    """Keep JupyterLab's news and update toasts off (they need the internet and cover the page)."""
    import json
    from pathlib import Path

    overrides = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    if overrides.exists():
        return
    overrides.parent.mkdir(parents=True, exist_ok=True)
    setting = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}}
    overrides.write_text(json.dumps(setting, indent=2))
