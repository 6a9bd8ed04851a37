"""Reading CSV into a typed frame: structure errors with lines, text conversion, nothing lost."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from accord.contract.loader import load_text
from accord.contract.model import ContractModel
from accord.errors import DataReadError
from accord.run.sources import read_dataset

FIELDS = """
  id: {type: int64}
  country: {type: string}
  amount: {type: float64, nullable: true}
"""


def contract(fields: str = FIELDS, source: str = "") -> ContractModel:
    text = f"accord: 1\nname: t\nversion: 1.0.0\n{source}fields:{fields}"
    return load_text(text, source=None)


def write(tmp_path: Path, data: bytes, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_error(path: Path, model: ContractModel | None = None) -> str:
    with pytest.raises(DataReadError) as caught:
        read_dataset([path], model or contract())
    assert caught.value.path == str(path)
    return str(caught.value)


def test_cells_are_typed_per_field_and_undeclared_columns_stay_text(tmp_path: Path) -> None:
    path = write(tmp_path, b"id,extra,country,amount\n1,007,DE,2.5\n2,x,FR,\n")
    result = read_dataset([path], contract())
    assert result.frame.columns == ["id", "extra", "country", "amount"]  # file order
    assert result.frame.schema == pl.Schema(
        {"id": pl.Int64, "extra": pl.String, "country": pl.String, "amount": pl.Float64}
    )
    assert result.frame.rows() == [(1, "007", "DE", 2.5), (2, "x", "FR", None)]
    assert result.cell_failures == {}
    assert result.files[0].path == str(path)
    assert (result.files[0].start, result.files[0].rows) == (0, 2)


def test_na_is_data_unless_the_contract_lists_it(tmp_path: Path) -> None:
    path = write(tmp_path, b"id,country,amount\n1,NA,NA\n2,DE,\n3,NA,1.0\n")
    default = read_dataset([path], contract())
    assert default.frame.get_column("country").to_list() == ["NA", "DE", "NA"]  # Namibia
    assert default.cell_failures["amount"].rows() == [(0, "NA")]
    assert default.null_token_counts == {}
    listed = read_dataset([path], contract(source='source: {csv: {null_values: ["", "NA"]}}\n'))
    assert listed.frame.get_column("country").to_list() == [None, "DE", None]
    assert listed.frame.get_column("amount").to_list() == [None, None, 1.0]
    assert listed.cell_failures == {}
    assert listed.null_token_counts == {"country": {"NA": 2}, "amount": {"NA": 1}}


def test_bom_and_crlf_are_transparent(tmp_path: Path) -> None:
    path = write(tmp_path, b'\xef\xbb\xbfid,country,amount\r\n1,DE,2.5\r\n2,"F\r\nR",\r\n')
    result = read_dataset([path], contract())
    assert result.frame.columns == ["id", "country", "amount"]
    assert result.frame.rows() == [(1, "DE", 2.5), (2, "F\r\nR", None)]
    assert result.cell_failures == {}


def test_duplicate_header_names_are_listed_never_renamed(tmp_path: Path) -> None:
    path = write(tmp_path, b"id,country,id,amount,country,country\n1,DE,9,2.5,x,y\n")
    result = read_dataset([path], contract())
    assert result.duplicate_columns == ["id", "country"]
    assert result.frame.columns == ["id", "country", "amount"]
    assert result.frame.row(0) == (1, "DE", 2.5)  # the first of each
    assert not any("duplicated" in name for name in result.frame.columns)


def test_wrong_delimiter_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, b"id;country;amount\n1;DE;2.5\n")
    message = read_error(path)
    assert message.endswith(
        "expected 3 columns but the header has 1; is the delimiter ';'? (the contract says ',')"
    )


def test_contract_delimiter_is_used(tmp_path: Path) -> None:
    path = write(tmp_path, b"id|country|amount\n1|DE|2.5\n")
    result = read_dataset([path], contract(source="source: {csv: {delimiter: '|'}}\n"))
    assert result.frame.row(0) == (1, "DE", 2.5)


def test_tsv_files_default_to_tab(tmp_path: Path) -> None:
    path = write(tmp_path, b"id\tcountry\tamount\n1\tDE\t2.5\n", name="data.tsv")
    assert read_dataset([path], contract()).frame.row(0) == (1, "DE", 2.5)


def test_ragged_row_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, b'id,country,amount\n1,"D\nE",2.5\n2,FR\n3,DE,1\n')
    assert read_error(path).endswith("line 4: expected 3 fields, found 2")  # line 2-3 is one row


def test_long_row_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, b"id,country,amount\n1,DE,2.5\n2,FR,1,extra\n")
    assert read_error(path).endswith("line 3: expected 3 fields, found 4")


def test_file_cut_mid_line_says_truncated(tmp_path: Path) -> None:
    path = write(tmp_path, b"id,country,amount\n1,DE,2.5\n2,F")
    assert read_error(path).endswith(
        "line 3: expected 3 fields, found 2; the file ends in the middle of this line (truncated?)"
    )


def test_unterminated_quote_names_where_it_opened(tmp_path: Path) -> None:
    path = write(tmp_path, b'id,country,amount\n1,DE,2.5\n2,"FR,1\n3,DE,1\n')
    assert "line 3: unterminated quoted field" in read_error(path)


def test_text_after_a_closing_quote_is_malformed(tmp_path: Path) -> None:
    path = write(tmp_path, b'id,country,amount\n1,"DE"x,2.5\n')
    assert "line 2: malformed CSV" in read_error(path)


def test_blank_line_is_a_ragged_row(tmp_path: Path) -> None:
    path = write(tmp_path, b"id,country,amount\n1,DE,2.5\n\n2,FR,1\n")
    assert read_error(path).endswith("line 3: expected 3 fields, found 1 (a blank line)")


def test_latin1_bytes_in_utf8_file_give_the_byte_offset(tmp_path: Path) -> None:
    data = b"id,country,amount\n1,Germany,2.5\n2,C\xf4te d'Ivoire,1\n"
    path = write(tmp_path, data)
    offset = data.index(b"\xf4")
    assert read_error(path).endswith(f"not valid utf-8 at byte offset {offset}")


def test_invalid_byte_after_a_large_prefix_has_exact_offset(tmp_path: Path) -> None:
    data = b"id,country,amount\n" + b"1,DE,2.5\n" * 300_000 + b"2,\xe9,1\n"
    path = write(tmp_path, data)
    offset = data.index(b"\xe9")
    assert offset > 1 << 20  # past the first chunk the offset finder decodes
    assert read_error(path).endswith(f"not valid utf-8 at byte offset {offset}")


def test_declared_encoding_is_decoded(tmp_path: Path) -> None:
    path = write(tmp_path, "id,country,amount\n1,Côte d'Ivoire,2.5\n".encode("latin-1"))
    model = contract(source="source: {csv: {encoding: latin-1}}\n")
    assert read_dataset([path], model).frame.row(0) == (1, "Côte d'Ivoire", 2.5)


def test_unknown_encoding_is_a_read_error(tmp_path: Path) -> None:
    path = write(tmp_path, b"id,country,amount\n")
    assert "unknown encoding 'klingon'" in read_error(
        path, contract(source="source: {csv: {encoding: klingon}}\n")
    )


def test_header_only_file_is_zero_typed_rows(tmp_path: Path) -> None:
    path = write(tmp_path, b"id,country,amount\n")
    result = read_dataset([path], contract())
    assert result.frame.height == 0
    assert result.frame.schema == pl.Schema(
        {"id": pl.Int64, "country": pl.String, "amount": pl.Float64}
    )


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    assert read_error(write(tmp_path, b"")).endswith("file is empty (no header)")
    assert read_error(write(tmp_path, b"\xef\xbb\xbf", "bom.csv")).endswith(
        "file is empty (no header)"
    )


def test_big_ids_with_nulls_round_trip_exactly(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        b"id,country,amount\n1582218195625938945,DE,\n,FR,\n9223372036854775807,DE,\n",
    )
    model = contract(fields="\n  id: {type: int64, nullable: true}\n  country: {type: string}\n")
    column = read_dataset([path], model).frame.get_column("id")
    assert column.dtype == pl.Int64
    assert column.to_list() == [1582218195625938945, None, 2**63 - 1]


def test_date_format_switching_midway_fails_exactly_those_rows(tmp_path: Path) -> None:
    rows = [f"{i},2020-01-{i + 1:02d}" for i in range(5)]
    rows += [f"{i},01/{i + 1:02d}/2020" for i in range(5, 8)]
    rows += ["8,2020-02-01", "9,"]
    path = write(tmp_path, ("id,day\n" + "\n".join(rows) + "\n").encode())
    model = contract(fields="\n  id: {type: int64}\n  day: {type: date, nullable: true}\n")
    result = read_dataset([path], model)
    assert result.frame.height == 10  # no row dropped
    assert result.cell_failures["day"].rows() == [
        (5, "01/06/2020"),
        (6, "01/07/2020"),
        (7, "01/08/2020"),
    ]
    assert result.failure_reasons["day"] == "not a date in format %Y-%m-%d"
    days = result.frame.get_column("day").to_list()
    assert days[4] == dt.date(2020, 1, 5)
    assert days[5:8] == [None, None, None]
    assert days[8] == dt.date(2020, 2, 1)


def test_unparseable_cells_are_null_and_listed_rows_kept(tmp_path: Path) -> None:
    path = write(tmp_path, b"id,country,amount\n1,DE,3750 g\n8,425,333,FR,1\n")
    assert "expected 3 fields, found 5" in read_error(path)  # unquoted commas: a ragged row
    path = write(tmp_path, b'id,country,amount\n1,DE,3750 g\n"8,425,333",FR,1\n3,IT,1e400\n')
    result = read_dataset([path], contract())
    assert result.frame.height == 3
    assert result.frame.get_column("id").to_list() == [1, None, 3]
    assert result.cell_failures["id"].rows() == [(1, "8,425,333")]
    assert result.cell_failures["amount"].rows() == [(0, "3750 g"), (2, "1e400")]
    assert result.failure_reasons["amount"] == "not a float64; too large for float64"


def test_naive_timestamp_for_utc_field(tmp_path: Path) -> None:
    path = write(
        tmp_path, b"t\n2024-01-02T03:04:05Z\n2024-01-02T03:04:05\n2024-01-02 04:04:05+01:00\n"
    )
    result = read_dataset([path], contract(fields="\n  t: {type: timestamp, tz: UTC}\n"))
    assert result.cell_failures["t"].rows() == [(1, "2024-01-02T03:04:05")]
    assert result.failure_reasons["t"] == "naive timestamp for a tz=UTC field"
    values = result.frame.get_column("t").to_list()
    assert values[0] == values[2] == dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


def test_headerless_file_takes_contract_order(tmp_path: Path) -> None:
    path = write(tmp_path, b"1,DE,2.5\n2,FR,\n")
    model = contract(source="source: {csv: {header: false}}\n")
    result = read_dataset([path], model)
    assert result.frame.columns == ["id", "country", "amount"]
    assert result.frame.rows() == [(1, "DE", 2.5), (2, "FR", None)]
    bad = write(tmp_path, b"1,DE,2.5,x\n", name="wide.csv")
    assert read_error(bad, model).endswith("line 1: expected 3 fields, found 4")


def test_nested_fields_cannot_come_from_csv(tmp_path: Path) -> None:
    path = write(tmp_path, b"id,tags\n1,a\n")
    model = contract(fields="\n  id: {type: int64}\n  tags: {type: list, items: {type: string}}\n")
    assert read_error(path, model).endswith(
        "field 'tags' is a list; CSV cannot hold it — use Parquet, Arrow or JSON Lines"
    )


def test_quote_inside_an_unquoted_cell_is_kept(tmp_path: Path) -> None:
    # polars takes such a quote as the start of quoting (and reads the next line into the cell);
    # Python's parser keeps it as a character, and the frame is built from its records.
    path = write(tmp_path, b'id,country,amount\n1,D"E,2.5\n2,FR,1\n')
    assert read_dataset([path], contract()).frame.rows() == [(1, 'D"E', 2.5), (2, "FR", 1.0)]
    path = write(tmp_path, b'id,country,amount\n1,DE,2.5"\n2,"FR",1\n3,"I""T",\n')
    result = read_dataset([path], contract(fields="\n  id: {type: int64}\n"))
    assert result.frame.rows() == [(1, "DE", '2.5"'), (2, "FR", "1"), (3, 'I"T', None)]


def test_lone_carriage_returns_are_line_breaks(tmp_path: Path) -> None:
    path = write(tmp_path, b"id,country,amount\r1,DE,2.5\r2,FR,\r")
    assert read_dataset([path], contract()).frame.rows() == [(1, "DE", 2.5), (2, "FR", None)]


def test_columns_projection(tmp_path: Path) -> None:
    path = write(tmp_path, b"id,country,amount,extra\n1,DE,2.5,x\n")
    result = read_dataset([path], contract(), columns=["amount", "id"])
    assert result.frame.columns == ["id", "amount"]
    assert result.frame.row(0) == (1, 2.5)


def test_header_names_are_taken_literally(tmp_path: Path) -> None:
    path = write(tmp_path, b"*,^a.*$,od280/od315,a b\n1,2,3,4\n")
    result = read_dataset(
        [path], contract(fields="\n  '*': {type: int64}\n  '^a.*$': {type: int8}\n")
    )
    assert result.frame.columns == ["*", "^a.*$", "od280/od315", "a b"]
    assert result.frame.row(0) == (1, 2, "3", "4")
