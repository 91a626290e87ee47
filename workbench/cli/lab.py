"""``workbench lab``: JupyterLab on the notebooks, with the demo databases ready."""
from __future__ import annotations

import os
import secrets
import socket
import sys
from pathlib import Path

from ..errors import WorkbenchError


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

    notebooks = notebooks_dir(embedded.project_home())
    check_port_free(args.ip, args.port)
    if not args.no_demo:
        with embedded.build_lock("demos"):
            build_demos(embedded.server_dsn("postgres"))
    quiet_news_toast()
    token = secrets.token_hex(16)
    print(f"\nSchema Workbench: open http://{args.ip}:{args.port}/lab?token={token}\n", flush=True)
    argv = jupyter_argv(notebooks, token, args.ip, args.port)
    os.execv(argv[0], argv)


def jupyter_argv(notebooks: Path, token: str, ip: str, port: int) -> list[str]:
    """The command line that starts JupyterLab on ``notebooks`` (current option names only,
    so Jupyter prints no deprecation warnings)."""
    argv = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--IdentityProvider.token={token}",
            f"--port={port}", "--ServerApp.port_retries=0",  # the URL printed names this port
            f"--ServerApp.ip={ip}", f"--ServerApp.root_dir={notebooks}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.geteuid() == 0:
        argv.append("--allow-root")
    return argv


def notebooks_dir(home: Path) -> Path:
    """The project's notebooks/ folder; a clear error when there is none."""
    notebooks = home / "notebooks"
    if not notebooks.is_dir():
        raise WorkbenchError("no notebooks folder to open", where=str(notebooks),
                             hint="run 'workbench lab' inside the project, or set WORKBENCH_HOME "
                                  "to the folder that holds notebooks/")
    return notebooks


def check_port_free(ip: str, port: int) -> None:
    """A clear error when ``ip``:``port`` cannot be listened on (another program has it)."""
    try:
        family, kind, _, _, address = socket.getaddrinfo(ip, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Jupyter's server does
            probe.bind(address)
    except OSError as exc:
        raise WorkbenchError(f"cannot listen on {ip}:{port}: {exc.strerror or exc}",
                             hint="pass another --port (or stop the program using it), "
                                  "or another --ip") from None


def quiet_news_toast() -> None:
    """Keep JupyterLab's news and update toasts off (they need the internet and cover the page)."""
    import json

    overrides = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    if overrides.exists():
        return
    overrides.parent.mkdir(parents=True, exist_ok=True)
    setting = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}}
    overrides.write_text(json.dumps(setting, indent=2))
