"""Screenshots of pages as a logged-in user sees them, for the README and for review.

    .venv/bin/python scripts/screenshot.py --user reporter --out docs/plan.png http://127.0.0.1:8000/plans/1/

Drives Debian's Chromium (/usr/bin/chromium) through Playwright; nothing is downloaded.
Prints the browser console's errors and warnings (a Content-Security-Policy violation is one)
and exits with 1 if there were any.
"""

import argparse
import re
import sys

from playwright.sync_api import sync_playwright

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("url")
    parser.add_argument("--user", default="reporter")
    parser.add_argument("--password", default="demo12345")
    parser.add_argument("--out", required=True)
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--height", type=int, default=768)
    parser.add_argument("--full-page", action="store_true")
    args = parser.parse_args()
    base = re.match(r"https?://[^/]+", args.url).group(0)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        problems = []
        page.on(
            "console", lambda m: m.type in {"error", "warning"} and problems.append(f"{m.type}: {m.text}")
        )
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        if args.user:
            page.goto(f"{base}/login/")
            page.fill("input[name=username]", args.user)
            page.fill("input[name=password]", args.password)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
        page.goto(args.url)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=args.out, full_page=args.full_page)
        browser.close()
    for problem in problems:
        print(problem, file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
