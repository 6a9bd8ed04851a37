"""The HTML report as a browser shows it: headless Chromium loads the file with the network
off, the DOM it builds holds every section, and a screenshot is a page, not a blank.

`make test` installs Debian's chromium where it is missing (as root); elsewhere these tests are
skipped with the reason shown.
"""

from __future__ import annotations

import html.parser
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from drift_samples import SHOP, orders
from fault_support import cli

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "contracts" / "transactions.yaml"
DATA = ROOT / "examples" / "transactions.csv"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    # every request but file:// fails, so a page that needs the network shows it
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("chromium is not installed (make test installs it with apt-get as root)")


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    return subprocess.run(
        [_chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        timeout=180,
        check=True,
    )


class _Dom(html.parser.HTMLParser):
    """Tags, ids, classes and text of a dumped DOM."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: Counter[str] = Counter()
        self.ids: set[str] = set()
        self.classes: Counter[str] = Counter()
        self.text: list[str] = []
        self.links: list[str] = []
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in (values.get("class") or "").split():
            self.classes[name] += 1
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if values.get("src"):
            self.sources.append(values["src"] or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _dom(tmp_path: Path, page: Path) -> _Dom:
    done = _run(tmp_path, "--dump-dom", page.as_uri())
    dom = _Dom()
    dom.feed(done.stdout.decode("utf-8"))
    return dom


def _drift_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    contract = tmp_path / "shop.yaml"
    contract.write_text(SHOP, encoding="utf-8")
    reference, current = tmp_path / "ref.parquet", tmp_path / "now.parquet"
    orders("polars", 2000, 5).write_parquet(reference)
    orders("polars", 2000, 6, shift=1.0, new_currency=0.05).write_parquet(current)
    stats = tmp_path / "stats.json"
    assert cli(capsys, "profile", contract, reference, "-o", stats).code == 0
    page = tmp_path / "drift.html"
    run = cli(capsys, "validate", contract, current, "--reference", stats, "--output", page)
    assert run.code in (0, 1), run.err
    return page


def test_every_section_is_in_the_browser_dom(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "report.html"
    assert cli(capsys, "validate", CONTRACT, DATA, "--output", page).code == 1
    dom = _dom(tmp_path, page)
    text = " ".join(dom.text)
    assert "transactions 1.2.0" in text and "FAILED" in text
    assert "examples/transactions.csv" in text and "500 rows, 12 columns" in text
    # summary, charts, the checks with filters, and one group per field with navigation to it
    for section in ("summary", "charts", "checks"):
        assert any(i.endswith(f"-{section}") for i in dom.ids), section
    assert dom.tags["svg"] == 2  # failures per field and per check
    assert dom.classes["filter"] == 5  # all, failed, skipped, note, passed
    assert dom.classes["group"] == 13  # the dataset and its 12 fields
    assert all(link.startswith("#") and link[1:] in dom.ids for link in dom.links)
    assert len(dom.links) == 3 + 13
    # every check has its row with its verdict and id as in the JSON report
    assert dom.classes["st-passed"] == 37 and dom.classes["st-failed"] == 7
    assert "fields.currency.checks[0]" in text and 'row 42, line 44: "eur"' in text
    assert dom.sources == []


def test_a_passing_run_lists_what_was_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "schema.html"
    assert cli(capsys, "validate", CONTRACT, DATA, "--schema-only", "--output", page).code == 0
    dom = _dom(tmp_path, page)
    assert "PASSED" in " ".join(dom.text)
    assert dom.classes["st-passed"] == 12 and dom.classes["st-skipped"] == 32
    assert dom.classes["st-note"] == 1 and dom.classes["st-failed"] == 0  # why they were skipped
    assert "schema-only run: 16 value checks and 4 dataset rules were not evaluated" in " ".join(
        dom.text
    )


def test_drift_is_drawn_for_every_measured_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dom = _dom(tmp_path, _drift_report(tmp_path, capsys))
    text = " ".join(dom.text)
    assert any(i.endswith("-drift") for i in dom.ids)
    assert dom.classes["paired"] == 2  # amount's bins and currency's categories
    assert "amount: reference and current distribution" in text  # the charts' titles
    assert "currency: reference and current distribution" in text
    assert "reference" in text and "current" in text


def test_screenshot_is_a_page_not_a_blank(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from PIL import Image

    page = _drift_report(tmp_path, capsys)
    shot = tmp_path / "shot.png"
    _run(tmp_path, "--window-size=1200,1800", f"--screenshot={shot}", page.as_uri())
    with Image.open(shot) as image:
        width, height = image.size
        pixels = image.convert("RGB").tobytes()
    colours = Counter(zip(pixels[0::3], pixels[1::3], pixels[2::3], strict=True))
    assert (width, height) == (1200, 1800)
    white = colours[(255, 255, 255)]
    assert white < 0.97 * width * height  # something is drawn
    assert len(colours) > 50  # text and charts, not a flat fill
    # the verdict badge and failure bars are red, the current-data bars blue
    assert any(r > 180 and g < 70 and b < 70 for r, g, b in colours)
    assert any(r < 30 and 80 < g < 130 and b > 190 for r, g, b in colours)


def test_filters_show_only_the_chosen_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "report.html"
    assert cli(capsys, "validate", CONTRACT, DATA, "--output", page).code == 1
    original = page.read_text(encoding="utf-8")
    # A test harness, not the report: choose a filter as a click would, then let a script write
    # down which rows the browser displays, where --dump-dom can see it.
    probe = (
        "<script>document.body.setAttribute('data-shown', [...document.querySelectorAll("
        "'tr.row')].filter(r => getComputedStyle(r).display !== 'none').map(r => "
        "r.className.split(' ')[1]).join(' '));</script></body>"
    )
    shown: dict[str, Counter[str]] = {}
    for status in ("all", "failed", "passed", "skipped"):
        chosen = re.sub(r'(id="a[0-9a-f]+-f-all") checked', r"\1", original)
        chosen = re.sub(rf'(id="a[0-9a-f]+-f-{status}")', r"\1 checked", chosen)
        harness = tmp_path / f"harness-{status}.html"
        harness.write_text(chosen.replace("</body>", probe), encoding="utf-8")
        done = _run(tmp_path, "--dump-dom", harness.as_uri()).stdout.decode("utf-8")
        found = re.search(r'data-shown="([^"]*)"', done)
        assert found is not None
        shown[status] = Counter(found.group(1).split())
    assert shown["all"] == Counter({"st-passed": 37, "st-failed": 7})
    assert shown["failed"] == Counter({"st-failed": 7})
    assert shown["passed"] == Counter({"st-passed": 37})
    assert shown["skipped"] == Counter()
