"""Issue 11, hangs and unbounded memory: every input is bounded or refused, and wide is linear.

No test here measures time: a glob over a symbolic-link cycle must give a finite, exact list; a
reference stats file that is a device or too large is refused before it is read; a wide CSV
header is handled in a number of frame-schema look-ups that does not grow with its width.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from accord.drift import reference
from accord.run.paths import expand_glob
from fault_support import cli, validate, write, write_contract

BODY = "fields:\n  id: {type: int64, checks: [{between: {min: 0, max: 5}}]}\n"


def _cyclic_tree(root: Path) -> Path:
    """root/data/{a.csv, sub/b.csv} with links from sub back to data and to root: a ``**`` that
    follows them never ends (two links make the walk exponential, not just endless)."""
    data = root / "data"
    (data / "sub").mkdir(parents=True)
    write(data / "a.csv", "id\n1\n2\n")
    write(data / "sub" / "b.csv", "id\n3\n99\n")
    (data / "sub" / "up").symlink_to(data, target_is_directory=True)
    (data / "sub" / "top").symlink_to(root, target_is_directory=True)
    (data / "loop").symlink_to(data / "loop2")
    (data / "loop2").symlink_to(data / "loop")  # a link cycle that is not even a directory
    return data


def test_a_glob_through_links_to_parent_folders_ends(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _cyclic_tree(tmp_path)
    found = expand_glob(str(data / "**" / "*.csv"))
    real = {os.path.realpath(p) for p in found}
    assert real == {str(data / "a.csv"), str(data / "sub" / "b.csv")}
    assert len(found) < 10  # each directory walked once, not once per path leading to it
    for engine in ("pandas", "polars"):
        run = validate(capsys, write_contract(tmp_path, BODY), str(data / "**" / "*.csv"), engine)
        assert run.code == 1, run.err
        assert run.report["dataset"]["rows"] == 4  # each file read once
        assert run.violations() == [("check.failed", "id", 1)]


def test_a_recursive_glob_matches_what_glob_glob_matches(tmp_path: Path) -> None:
    """Without links the walk is glob.glob's: hidden names skipped, ``**`` at any depth, a
    pattern after it, a relative pattern giving relative paths."""
    import glob

    for name in ["a.csv", "x/b.csv", "x/y/c.csv", ".h/d.csv", "x/.e.csv", "x/y/f.txt"]:
        write_path = tmp_path / name
        write_path.parent.mkdir(parents=True, exist_ok=True)
        write(write_path, "id\n1\n")
    patterns = ["**/*.csv", "x/**/*.csv", "**/y/*", "**", "x/**", "*/**/c.csv"]
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        for pattern in patterns:
            assert expand_glob(pattern) == sorted(
                p.rstrip(os.sep)
                for p in glob.glob(pattern, recursive=True)  # noqa: PTH207
                if p.rstrip(os.sep)
            ), pattern
    finally:
        os.chdir(cwd)
    absolute = str(tmp_path / "**" / "*.csv")
    assert expand_glob(absolute) == sorted(glob.glob(absolute, recursive=True))  # noqa: PTH207


@pytest.mark.parametrize("source", ["/dev/zero", "fifo"])
def test_a_reference_that_is_not_a_regular_file_is_refused(
    source: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if source == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no named pipes here")
        os.mkfifo(tmp_path / "stats.json")  # opened for reading with a writer thread below
        path = tmp_path / "stats.json"
        fd = os.open(path, os.O_RDWR)  # a writer end, so opening to read does not block
    elif not Path(source).exists():
        pytest.skip(f"no {source}")
    else:
        path, fd = Path(source), None
    try:
        contract = write_contract(tmp_path, BODY)
        data = write(tmp_path / "d.csv", "id\n1\n")
        run = cli(capsys, "validate", contract, data, "--reference", path)
    finally:
        if fd is not None:
            os.close(fd)
    assert run.code == 2
    assert str(path) in run.err and "is not a regular file" in run.err


def test_a_reference_larger_than_the_cap_is_refused_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reference, "MAX_PROFILE_BYTES", 1000)
    stats = write(tmp_path / "stats.json", "{" + " " * 2000 + "}")
    contract = write_contract(tmp_path, BODY)
    data = write(tmp_path / "d.csv", "id\n1\n")
    run = cli(capsys, "validate", contract, data, "--reference", stats)
    assert run.code == 2
    assert "stats.json" in run.err and "is larger than" in run.err


def _wide(tmp_path: Path, width: int) -> tuple[Path, Path]:
    names = [f"c{i}" for i in range(width)]
    body = "fields:\n" + "".join(f"  {n}: {{type: int64}}\n" for n in names)
    contract = write_contract(tmp_path, body, name=f"wide{width}.yaml")
    rows = [",".join(names), ",".join("1" for _ in names), ",".join("x" for _ in names)]
    return contract, write(tmp_path / f"wide{width}.csv", "\n".join(rows) + "\n")


def _counting(monkeypatch: pytest.MonkeyPatch, wide: int) -> dict[str, int]:
    """Count the look-ups that build the whole schema or column list of a frame at least
    ``wide`` columns wide: each costs time in proportion to the width, so once per column
    they make a wide table quadratic."""
    counts = {"schema": 0, "columns": 0, "dtypes": 0}
    for name in counts:
        original = getattr(pl.DataFrame, name)

        def counted(frame: Any, _name: str = name, _get: Callable[..., Any] = original.fget) -> Any:
            if frame.width >= wide:
                counts[_name] += 1
            return _get(frame)

        monkeypatch.setattr(pl.DataFrame, name, property(counted, original.fset))
    return counts


@pytest.mark.parametrize("extra", [(), ("--batch-rows", "1")], ids=["whole", "batched"])
@pytest.mark.parametrize("engine", ["pandas", "polars"])
def test_a_wide_csv_header_is_handled_in_linear_steps(
    engine: str,
    extra: tuple[str, ...],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if engine == "pandas" and extra:
        pytest.skip("batches run on polars")
    lookups = []
    for width in (40, 160):
        contract, data = _wide(tmp_path, width)
        counts = _counting(monkeypatch, wide=40)
        run = validate(capsys, contract, data, engine, *extra)
        monkeypatch.undo()
        assert run.code == 1
        # One unreadable cell per column, each reported on its own field.
        found = run.violations()
        assert sorted(field or "" for _, field, _ in found) == sorted(f"c{i}" for i in range(width))
        assert {count for _, _, count in found} == {1}
        lookups.append(sum(counts.values()))
    assert lookups[1] == lookups[0], lookups  # four times the columns, no more look-ups


TINY = """\
accord: 1
name: t
version: 1.0.0
source: {csv: {null_values: ["", "NA", "-"]}}
fields:
  id: {type: int64}
  n: {type: number}
  d: {type: decimal}
  at: {type: timestamp}
  s: {type: string}
"""


def _tiny_rows() -> str:
    cells = [
        ("1", "2", "1.5", "2024-01-01T00:00:00", "a"),
        ("x", "NA", "2.25", "2024-01-01", "-"),
        ("99999999999999999999", "3.5", "NA", "2024-02-30T00:00:00", "b"),
        ("4", "-", "1.2.3", "2024-01-01T00:00:00.0000001", ""),
        ("5", "1e999", "7", "2024-01-01T00:00:00+01:00", "NA"),
    ]
    lines = ["id,n,d,at,s"]
    for i in range(8):  # each kind of failure and token in several batches
        lines += [",".join(row) for row in cells[i % 5 :] + cells[: i % 5]]
    return "\n".join(lines) + "\n"


def test_tiny_batches_are_cut_from_larger_reads_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--batch-rows 1`` reads and converts parts of many rows (one conversion here, not 40)
    and cuts them into batches identical to those read one row at a time: rows, cell failures,
    each batch's own failure reasons and null-token counts."""
    from polars.testing import assert_frame_equal

    from accord.contract.loader import load_text
    from accord.run import batch_pieces, batches

    model = load_text(TINY, source=None)
    path = write(tmp_path / "tiny.csv", _tiny_rows())
    conversions = {"count": 0}
    convert = batches.convert

    def counted(*args: Any, **kwargs: Any) -> Any:
        conversions["count"] += 1
        return convert(*args, **kwargs)

    monkeypatch.setattr(batches, "convert", counted)
    cut = list(batches.open_batches([path], model, batch_rows=1).batches())
    assert conversions["count"] == 1
    monkeypatch.setattr(batch_pieces, "READ_ROWS", 1)
    conversions["count"] = 0
    alone = list(batches.open_batches([path], model, batch_rows=1).batches())
    assert conversions["count"] == 40
    assert len(cut) == len(alone) == 40
    assert sum(bool(b.cell_failures) for b in cut) > 20 and any(b.null_token_counts for b in cut)
    for got, expected in zip(cut, alone, strict=True):
        assert got.start == expected.start
        assert_frame_equal(got.frame, expected.frame)
        assert got.cell_failures.keys() == expected.cell_failures.keys()
        for name, failures in got.cell_failures.items():
            assert_frame_equal(failures, expected.cell_failures[name])
        assert got.failure_reasons == expected.failure_reasons
        assert got.null_token_counts == expected.null_token_counts


def test_read_rows_is_a_whole_number_of_batches_and_bounded_by_width() -> None:
    from accord.run.batch_pieces import READ_CELLS, READ_ROWS, read_rows

    assert read_rows(1, 3) == READ_ROWS
    assert read_rows(3, 3) % 3 == 0 and read_rows(3, 3) >= READ_ROWS
    assert read_rows(1, 30_000) == READ_CELLS // 30_000  # a wide table: fewer rows at once
    assert read_rows(1, 10**9) == 1
    assert read_rows(500_000, 3) == 500_000  # batches already large: read as asked
