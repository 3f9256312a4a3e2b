"""Screenshots of an ``auditor audit -f html`` report for docs/formats-audit.md (issue 17).

Opens the report in Debian's ``chromium`` through Playwright, as
``tests/report/test_html_browser.py`` does (the system browser, never one
from ``playwright install``), and writes three PNGs: the package table, a
package's detail view and the dependency graph.

    auditor audit examples/scikit-learn/requirements.txt --as-of 2026-08-01 -f html -o sklearn.html
    python benchmarks/html_screenshots.py sklearn.html --package scipy --out docs/img

Exits 2 with one line when chromium or Playwright is missing or the report
does not load cleanly (a console error, a request beyond the file).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="an HTML report from auditor audit -f html")
    parser.add_argument("--package", default="scipy", help="the package whose detail view is shown")
    parser.add_argument("--out", type=Path, default=Path("docs/img"), help="folder for html-*.png")
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium")
    if chromium is None:
        print("html_screenshots: no chromium on PATH (apt-get install chromium)", file=sys.stderr)
        return 2
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("html_screenshots: playwright is not installed (pip install '.[test]')", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    url = args.report.resolve().as_uri()
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True,
                                    args=["--no-sandbox"] if os.geteuid() == 0 else [])
        page = browser.new_page(viewport={"width": 1280, "height": 760})
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("request", lambda r: problems.append(f"request {r.url}") if r.url != url else None)
        page.goto(url)
        page.screenshot(path=str(args.out / "html-table.png"))
        page.click(f"#packages tbody tr:has(td:text-is('{args.package}'))")
        page.screenshot(path=str(args.out / "html-detail.png"))
        page.keyboard.press("Escape")
        page.click("button[data-view=graph]")
        page.wait_for_timeout(100)
        page.locator("#view-graph").screenshot(path=str(args.out / "html-graph.png"))
        browser.close()
    if problems:
        print("html_screenshots: the page did not load cleanly: " + "; ".join(problems), file=sys.stderr)
        return 2
    print(f"wrote {args.out}/html-table.png, html-detail.png, html-graph.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
