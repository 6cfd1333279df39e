"""Takes the README's screenshot (docs/screenshot.png) from a running demo. Not a test.

.venv/bin/dangbo demo &                     # wait for "dangbo demo: http://127.0.0.1:8000/"
.venv/bin/python tests/browser/screenshot_demo.py [http://127.0.0.1:8000] [docs/screenshot.png]
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--lang=vi-VN",  # date inputs read dd/mm/yyyy, as on a Vietnamese desktop
]


def main() -> int:
    base = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/")
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "docs" / "screenshot.png"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            locale="vi-VN", viewport={"width": 1280, "height": 720}, device_scale_factor=1
        )
        page = context.new_page()
        page.goto(base + "/login/")
        page.fill("#id_username", "demo-admin")
        page.fill("#id_password", "demo")
        with page.expect_navigation():
            page.click("button[type=submit]")
        response = page.goto(base + "/?as_of=2019-12-31")
        if response is None or not response.ok:
            print(f"dashboard answered {response and response.status}", file=sys.stderr)
            return 1
        page.screenshot(path=str(target))
        browser.close()
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
