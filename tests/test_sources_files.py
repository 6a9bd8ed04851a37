"""Finding data files, reading Parquet, Arrow and JSON Lines, and combining several files."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
from pathlib import Path
from types import ModuleType

import polars as pl
import pytest

from accord.contract.loader import load_text
from accord.contract.model import ContractModel
from accord.errors import DataReadError, UsageError
from accord.run.io.paths import discover
from accord.run.sources import FileSpan, ReadResult, read_dataset

FIXTURES = Path(__file__).parent / "fixtures" / "data"


def load_make_fixtures() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MAKE = load_make_fixtures()

TYPED = load_text(
    """accord: 1
name: typed
version: 1.0.0
fields:
  id: {type: int64, nullable: true}
  event_time: {type: timestamp, tz: UTC}
  currency: {type: category, categories: [EUR, USD]}
  note: {type: string, nullable: true}
""",
    source=None,
)


def contract(fields: str) -> ContractModel:
    return load_text(f"accord: 1\nname: t\nversion: 1.0.0\nfields:{fields}", source=None)


SIMPLE = contract("\n  id: {type: int64}\n  name: {type: string}\n")


def error_of(paths: list[str | Path], model: ContractModel = SIMPLE, **kwargs: str) -> str:
    with pytest.raises(DataReadError) as caught:
        read_dataset(paths, model, **kwargs)
    return str(caught.value)


# -- discovery ------------------------------------------------------------------------------------


def make_tree(tmp_path: Path) -> Path:
    root = tmp_path / "extract"
    root.mkdir()
    for name in ["b.csv", "a.csv", "c.parquet", "notes.txt", "_SUCCESS"]:
        (root / name).write_text("id,name\n")
    (root / "sub").mkdir()
    (root / "sub" / "d.csv").write_text("id,name\n")
    return root


def test_directory_gives_its_data_files_sorted(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    assert discover([root]) == [root / "a.csv", root / "b.csv", root / "c.parquet"]


def test_glob_gives_matches_sorted(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    assert discover([str(root / "*.csv")]) == [root / "a.csv", root / "b.csv"]
    assert discover([str(root / "**" / "*.csv")]) == [
        root / "a.csv",
        root / "b.csv",
        root / "sub" / "d.csv",
    ]


def test_a_file_named_like_a_glob_is_taken_literally(tmp_path: Path) -> None:
    odd = tmp_path / "we[i]rd.csv"
    odd.write_text("id,name\n1,a\n")
    assert discover([odd]) == [odd]
    assert read_dataset([odd], SIMPLE).frame.rows() == [(1, "a")]


def test_the_same_file_twice_is_read_once(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    assert discover([root / "a.csv", str(root / "*.csv")]) == [root / "a.csv", root / "b.csv"]


def test_discovery_errors_name_the_path(tmp_path: Path) -> None:
    with pytest.raises(DataReadError, match="no data files match") as caught:
        discover([str(tmp_path / "*.csv")])
    assert caught.value.path == str(tmp_path / "*.csv")
    with pytest.raises(DataReadError, match="not found"):
        discover([tmp_path / "missing.csv"])
    with pytest.raises(DataReadError, match="is a directory with no data files"):
        discover([tmp_path])
    with pytest.raises(DataReadError, match="no data files match"):
        discover([])


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file_is_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.csv"
    path.write_text("id,name\n")
    path.chmod(0)
    try:
        with pytest.raises(DataReadError, match="permission denied"):
            read_dataset([path], SIMPLE)
    finally:
        path.chmod(0o600)


def test_permission_problems_are_named_even_for_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "secret.csv"
    path.write_text("id,name\n1,a\n")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    with monkeypatch.context() as patched:
        patched.setattr(os, "access", lambda *args, **kwargs: False)
        with pytest.raises(DataReadError, match="permission denied"):
            discover([path])
    with monkeypatch.context() as patched:
        patched.setattr(Path, "open", refuse)
        with pytest.raises(DataReadError, match="permission denied") as caught:
            read_dataset([path], SIMPLE)
        assert caught.value.path == str(path)
    with monkeypatch.context() as patched:
        patched.setattr(Path, "iterdir", refuse)
        with pytest.raises(DataReadError, match="permission denied"):
            discover([tmp_path])


def test_one_path_is_not_read_as_its_characters(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("id,name\n1,a\n")
    assert discover(str(path)) == [path]  # a str is a Sequence[str] too
    assert read_dataset(path, SIMPLE).frame.rows() == [(1, "a")]  # type: ignore[arg-type]


def test_glob_matching_partition_directories_reads_their_files(tmp_path: Path) -> None:
    for day in ("2024-01-01", "2024-01-02"):
        (tmp_path / f"day={day}").mkdir()
        (tmp_path / f"day={day}" / "part.csv").write_text(f"id,name\n1,{day}\n")
    (tmp_path / "day=empty").mkdir()
    result = read_dataset([str(tmp_path / "day=*")], SIMPLE)
    assert result.frame.get_column("name").to_list() == ["2024-01-01", "2024-01-02"]


def test_unknown_suffix_names_the_file_and_the_formats(tmp_path: Path) -> None:
    path = tmp_path / "data.xlsx"
    path.write_bytes(b"PK")
    message = error_of([path])
    assert str(path) in message
    assert "'.xlsx'" in message
    assert "csv (.csv, .tsv), parquet (.parquet, .pq), jsonl (.jsonl, .ndjson)" in message


def test_format_argument_and_contract_format_override_the_suffix(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_text("id,name\n1,a\n")
    assert read_dataset([path], SIMPLE, format="csv").frame.rows() == [(1, "a")]
    as_csv = contract("\n  id: {type: int64}\n").model_copy(
        update={"source": SIMPLE.source.model_copy(update={"format": "csv"})}
    )
    assert read_dataset([path], as_csv).frame.rows() == [(1, "a")]
    with pytest.raises(UsageError, match="unknown data format 'xml'"):
        read_dataset([path], SIMPLE, format="xml")


def test_mixed_formats_are_refused(tmp_path: Path) -> None:
    assert "mix formats (csv, parquet)" in error_of([make_tree(tmp_path)])


# -- Parquet and Arrow ----------------------------------------------------------------------------


def test_parquet_is_read_as_stored(tmp_path: Path) -> None:
    paths = MAKE.write_parquet(tmp_path)
    result = read_dataset([paths["typed"]], TYPED)
    schema = result.frame.schema
    assert schema["event_time"] == pl.Datetime("us")  # tz-naive stays naive; the runner reports it
    assert schema["currency"] in (pl.Categorical, pl.String)  # dictionary strings, not re-cast
    assert schema["note"] == pl.String
    assert result.frame.get_column("id").to_list() == [1582218195625938945, None, 3]
    assert result.cell_failures == {}
    assert result.frame.get_column("event_time")[0] == dt.datetime(2024, 1, 2, 3, 4, 5)


def test_parquet_projection_reads_only_named_columns(tmp_path: Path) -> None:
    paths = MAKE.write_parquet(tmp_path)
    result = read_dataset([paths["typed"]], TYPED, columns=["note", "id", "absent"])
    assert result.frame.columns == ["id", "note"]


@pytest.mark.parametrize("which", ["truncated", "not_parquet", "bad_footer"])
def test_corrupt_parquet_is_a_clean_error(tmp_path: Path, which: str) -> None:
    path = MAKE.write_parquet(tmp_path)[which]
    message = error_of([path], TYPED)
    assert str(path) in message
    assert "not a valid Parquet file (truncated or corrupt)" in message


def test_parquet_with_a_corrupt_page_is_a_clean_error(tmp_path: Path) -> None:
    good = MAKE.write_parquet(tmp_path)["typed"]
    data = bytearray(good.read_bytes())
    data[4:60] = b"\xff" * 56  # the first column chunk, magic and footer intact
    path = tmp_path / "bad_page.parquet"
    path.write_bytes(bytes(data))
    assert "not a valid Parquet file (truncated or corrupt)" in error_of([path], TYPED)


@pytest.mark.parametrize("which", ["file", "stream"])
def test_arrow_keeps_dictionary_and_large_strings(tmp_path: Path, which: str) -> None:
    path = MAKE.write_arrow(tmp_path)[which]
    frame = read_dataset([path], TYPED).frame
    assert frame.schema["currency"] == pl.Categorical  # as stored; text for the runner
    assert frame.schema["note"] == pl.String
    assert frame.get_column("currency").to_list() == ["EUR", "USD", "EUR"]
    assert frame.get_column("id").to_list() == [1582218195625938945, None, 3]


def test_truncated_arrow_is_a_clean_error(tmp_path: Path) -> None:
    path = MAKE.write_arrow(tmp_path)["truncated"]
    assert "not a valid Arrow IPC file (truncated or corrupt)" in error_of([path], TYPED)


def test_empty_parquet_is_zero_rows(tmp_path: Path) -> None:
    path = tmp_path / "empty.parquet"
    pl.DataFrame(
        {"id": pl.Series([], dtype=pl.Int64), "name": pl.Series([], dtype=pl.String)}
    ).write_parquet(path)
    result = read_dataset([path], SIMPLE)
    assert result.frame.height == 0
    assert result.frame.columns == ["id", "name"]


# -- JSON Lines -----------------------------------------------------------------------------------

JSON_CONTRACT = contract(
    """
  id: {type: int64}
  day: {type: date, nullable: true}
  at: {type: timestamp, tz: UTC, nullable: true}
  ok: {type: bool, nullable: true}
  tags: {type: list, items: {type: string}, nullable: true}
  name: {type: string, nullable: true}
"""
)


def test_json_lines_strings_are_parsed_like_csv_text(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text(
        '{"id": 1582218195625938945, "day": "2020-03-15", "at": "2024-01-02T03:04:05Z", '
        '"ok": true, "tags": ["a"], "name": "x"}\n'
        '{"id": 1.7, "day": "03/15/2020", "at": "2024-01-02T03:04:05", "ok": false}\n'
        "\n"
        '{"id": 3, "day": null, "tags": [], "name": "NA"}\n'
    )
    result = read_dataset([path], JSON_CONTRACT)
    frame = result.frame
    assert frame.height == 3
    assert frame.schema["id"] == pl.Int64
    assert frame.get_column("id").to_list() == [1582218195625938945, None, 3]
    assert frame.get_column("day").to_list() == [dt.date(2020, 3, 15), None, None]
    assert frame.get_column("ok").to_list() == [True, False, None]
    assert frame.schema["tags"] == pl.List(pl.String)
    assert frame.get_column("name").to_list() == ["x", None, "NA"]
    assert result.cell_failures["id"].rows() == [(1, "1.7")]
    assert result.cell_failures["day"].rows() == [(1, "03/15/2020")]
    assert result.cell_failures["at"].rows() == [(1, "2024-01-02T03:04:05")]
    assert result.failure_reasons["at"] == "naive timestamp for a tz=UTC field"
    assert result.null_token_counts == {}


def test_empty_or_blank_json_lines_file_is_zero_rows(tmp_path: Path) -> None:
    for data in (b"", b"\n \n"):
        path = tmp_path / "empty.jsonl"
        path.write_bytes(data)
        assert read_dataset([path], JSON_CONTRACT).frame.height == 0


def test_malformed_json_line_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "data.ndjson"
    path.write_text('{"id": 1}\n{"id": 2\n{"id": 3}\n')
    assert "line 2: not valid JSON" in error_of([path], JSON_CONTRACT)
    path.write_text('{"id": 1}\n[1, 2]\n')
    assert "line 2: expected a JSON object, found list" in error_of([path], JSON_CONTRACT)
    path.write_text('{"id": 1}\n{"id": 1e400}\n')
    assert "line 2: not valid JSON (the number 1e400 is too large)" in error_of(
        [path], JSON_CONTRACT
    )
    data = b'{"id": 1}\n{"name": "\xe9"}\n'
    path.write_bytes(data)
    offset = data.index(b"\xe9")
    assert f"not valid utf-8 at byte offset {offset}" in error_of([path], JSON_CONTRACT)


# -- several files --------------------------------------------------------------------------------


def test_several_files_concatenate_in_order_with_attribution(tmp_path: Path) -> None:
    first = tmp_path / "part-1.csv"
    second = tmp_path / "part-2.csv"
    empty = tmp_path / "part-0.csv"
    first.write_text("id,name\n1,a\nx,b\n")
    empty.write_text("id,name\n")
    second.write_text("name,id,extra\nc,3,e\nd,y,f\ne,5,g\n")
    result = read_dataset([first, empty, second], SIMPLE)
    assert result.frame.columns == ["id", "name", "extra"]
    assert result.frame.get_column("id").to_list() == [1, None, 3, None, 5]
    assert result.files == [
        FileSpan(str(first), 0, 2),
        FileSpan(str(empty), 2, 0),
        FileSpan(str(second), 2, 3),
    ]
    assert result.cell_failures["id"].rows() == [(1, "x"), (3, "y")]
    assert [result.locate(row) for row in (1, 3)] == [(str(first), 1), (str(second), 1)]
    assert result.locate(2) == (str(second), 0)
    assert result.missing_in_files == {"extra": [str(first), str(empty)]}
    with pytest.raises(IndexError):
        result.locate(5)


def test_glob_and_directory_read_like_the_listed_files(tmp_path: Path) -> None:
    for index in range(3):
        (tmp_path / f"day-{index}.csv").write_text(f"id,name\n{index},n{index}\n")
    by_glob = read_dataset([str(tmp_path / "day-*.csv")], SIMPLE)
    by_dir = read_dataset([tmp_path], SIMPLE)
    assert by_glob.frame.equals(by_dir.frame)
    assert by_dir.frame.get_column("id").to_list() == [0, 1, 2]
    assert by_dir.locate(2) == (str(tmp_path / "day-2.csv"), 0)


def test_declared_column_missing_in_some_files_is_recorded(tmp_path: Path) -> None:
    (tmp_path / "a.parquet").write_bytes(b"")
    pl.DataFrame({"id": [1, 2], "name": ["a", "b"]}).write_parquet(tmp_path / "a.parquet")
    pl.DataFrame({"id": pl.Series([3], dtype=pl.Int32)}).write_parquet(tmp_path / "b.parquet")
    result = read_dataset([tmp_path], SIMPLE)
    assert result.missing_in_files == {"name": [str(tmp_path / "b.parquet")]}
    assert result.frame.get_column("name").to_list() == ["a", "b", None]
    assert result.frame.schema["id"] == pl.Int64  # int32 and int64 meet losslessly in int64


def test_files_disagreeing_on_a_type_are_an_error(tmp_path: Path) -> None:
    pl.DataFrame({"id": [1]}).write_parquet(tmp_path / "a.parquet")
    pl.DataFrame({"id": ["1"]}).write_parquet(tmp_path / "b.parquet")
    assert "column 'id' is Int64 in" in error_of([tmp_path])


def test_locate_without_files_raises() -> None:
    with pytest.raises(IndexError):
        ReadResult(pl.DataFrame(), []).locate(0)
