"""Headless Chromium (Debian's `chromium`) driven by Playwright, or a skip with the reason."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("XINFANG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# without these, Chromium tries Google's services at start-up, which this closed network refuses
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_or_skip() -> str:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM} (.ci/run installs it)")
    return CHROMIUM
