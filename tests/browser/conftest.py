"""The browser tier: a real JupyterLab on 127.0.0.1, driven by Debian's Chromium via Playwright.

Skipped, with a message, only where Chromium or Playwright cannot be had. Screenshots are
kept in ``tests/browser/artifacts/`` for a person to look at.
"""
from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from workbench.testing import free_port

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def jupyterlab(tmp_path_factory):
    """A JupyterLab serving a copy of notebooks/; yields (base URL, token)."""
    from workbench.cli.lab import quiet_news_toast

    quiet_news_toast()
    folder = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", folder / "notebooks")
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(user_settings(folder / "settings"))}
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}", "--allow-root",
         f"--notebook-dir={folder / 'notebooks'}", "--LabApp.news_url=None",
         f"--LabApp.workspaces_dir={folder / 'workspaces'}",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/api/status?token={token}")
        yield base, token
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def user_settings(folder: Path) -> Path:
    """JupyterLab user settings for the tests: every cell kept in the page (no windowing), so
    widgets further down a notebook exist in the DOM to be clicked."""
    tracker = folder / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text('{"windowingMode": "none"}')
    return folder


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"JupyterLab did not answer within {seconds:.0f} s")


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium from Debian (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.skip("browser tier skipped: /usr/bin/chromium is not installed "
                    "(apt-get install chromium; make test does it where it may)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tier skipped: no Playwright")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


def screenshot(target, name: str) -> Path:
    """Save a screenshot of a page (what the window shows) or of one element as a test artifact,
    and, when ``WORKBENCH_SCREENSHOTS`` names a folder (``make screenshots``), there too."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    target.screenshot(path=str(path))
    if os.environ.get("WORKBENCH_SCREENSHOTS"):
        folder = Path(os.environ["WORKBENCH_SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, folder / path.name)
    return path
