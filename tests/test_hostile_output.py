"""Issue 11, class "output that destroys what it names": every file a command writes goes
through ``accord.cli.output``; it never overwrites an input, writes through links, writes into
FIFOs and devices, and replaces regular files whole."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from accord.cli.output import Input, write_file
from accord.errors import OutputError
from fault_support import Run, cli, contract_text, validate, write

CONTRACT = """\
references:
  codes: {description: the valid codes}
fields:
  a: {type: int64, checks: [{between: {min: 0, max: 5}}]}
  code: {type: string, checks: [{in_reference: {dataset: codes, field: code}}]}
"""
DATA = "a,code\n1,x\n9,y\n"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    return {
        "contract": write(tmp_path / "c.yaml", contract_text(CONTRACT)),
        "data": write(data_dir / "d.csv", DATA),
        "codes": write(tmp_path / "codes.csv", "code\nx\ny\n"),
        "folder": data_dir,
    }


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` and its bytes (a left-over temporary file shows up here)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def run_validate(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path], engine: str, *extra: object
) -> Run:
    refs = ("--ref", f"codes={files['codes']}")
    return validate(capsys, files["contract"], files["data"], engine, *refs, *extra)


def test_output_never_clobbers_an_input(
    files: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    engine: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    contract, data, codes = files["contract"], files["data"], files["codes"]
    (tmp_path / "hard.csv").hardlink_to(data)
    (tmp_path / "link.yaml").symlink_to(contract)
    before = snapshot(tmp_path)
    # the same files under other names: relative, with "..", a hard link, a symbolic link
    monkeypatch.chdir(tmp_path)
    destinations = {
        contract: "the contract",
        Path("c.yaml"): "the contract",
        Path("data/../c.yaml"): "the contract",
        tmp_path / "link.yaml": "the contract",
        data: "a data file",
        tmp_path / "hard.csv": "a data file",
        codes: "the reference data --ref codes",
    }
    for destination, role in destinations.items():
        run = run_validate(capsys, files, engine, "--output", destination)
        assert run.code == 2, destination
        assert f"refusing to write {destination}: it is {role}" in run.err
        assert "choose another output file" in run.err
        assert snapshot(tmp_path) == before, destination
    # data named by a glob and by a folder are protected just the same
    for given in (str(tmp_path / "data" / "*.csv"), str(tmp_path / "data")):
        refs = ("--ref", f"codes={codes}")
        run = validate(capsys, contract, [Path(given)], engine, *refs, "--output", data)
        assert run.code == 2 and f"refusing to write {data}: it is a data file" in run.err
        assert snapshot(tmp_path) == before
    # a report beside the inputs is fine, and its verdict is the run's
    report = tmp_path / "report.json"
    run = run_validate(capsys, files, engine, "--output", report)
    assert run.code == 1 and json.loads(report.read_text())["passed"] is False


def test_output_never_clobbers_an_input_of_profile_infer_or_diff(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], engine: str, tmp_path: Path
) -> None:
    contract, data = files["contract"], files["data"]
    stats = tmp_path / "stats.json"
    assert cli(capsys, "profile", contract, data, "--engine", engine, "-o", stats).code == 0
    before = snapshot(tmp_path)
    attempts: list[tuple[list[object], Path, str]] = [
        (["profile", contract, data, "--engine", engine, "-o", data], data, "a data file"),
        (["profile", contract, data, "--engine", engine, "-o", contract], contract, "the contract"),
        (["infer", data, "-o", data], data, "the data file"),
        (["diff", contract, contract, "--output", contract], contract, "a contract"),
        (
            ["validate", contract, data, "--engine", engine, "--reference", stats, "--ref",
             f"codes={files['codes']}", "--output", stats],
            stats,
            "the reference statistics (--reference)",
        ),
    ]  # fmt: skip
    for args, destination, role in attempts:
        run = cli(capsys, *args)
        assert run.code == 2, args
        assert f"refusing to write {destination}: it is {role}" in run.err, run.err
        assert snapshot(tmp_path) == before, args


def test_output_writes_through_a_symlink_to_its_target(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], engine: str, tmp_path: Path
) -> None:
    (tmp_path / "reports").mkdir()
    target = write(tmp_path / "reports" / "latest.json", "old report\n")
    target.chmod(0o640)
    link = tmp_path / "report.json"
    link.symlink_to(target)
    run = run_validate(capsys, files, engine, "--format", "json", "--output", link)
    assert run.code == 1
    assert link.is_symlink() and link.readlink() == target  # still the user's link
    assert json.loads(target.read_text())["passed"] is False  # the target got the report
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # and kept its permissions
    assert sorted(p.name for p in target.parent.iterdir()) == ["latest.json"]
    # a link to a file not there yet creates it, as a shell redirection would
    fresh = tmp_path / "reports" / "new.json"
    dangling = tmp_path / "new-link.json"
    dangling.symlink_to(fresh)
    assert run_validate(capsys, files, engine, "--output", dangling).code == 1
    assert dangling.is_symlink() and json.loads(fresh.read_text())["passed"] is False


def read_fifo_in_background(fifo: Path) -> Callable[[], bytes]:
    received: list[bytes] = []

    def read() -> None:
        with fifo.open("rb") as reader:
            received.append(reader.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()

    def result() -> bytes:
        thread.join(timeout=60)
        assert not thread.is_alive(), "nothing was written into the FIFO"
        return received[0]

    return result


def test_output_writes_into_a_fifo_and_keeps_it(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], engine: str, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = read_fifo_in_background(fifo)
    run = run_validate(capsys, files, engine, "--format", "json", "--output", fifo)
    assert run.code == 1
    assert json.loads(received())["passed"] is False
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # not replaced by a regular file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.yaml", "codes.csv", "data", "pipe"]


def test_output_writes_into_a_device_and_keeps_it(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], engine: str, tmp_path: Path
) -> None:
    # through a link to the real /dev/null: a writer that replaced the destination would only
    # replace the link, so this test cannot harm the machine even when the writer is wrong
    link = tmp_path / "null"
    link.symlink_to(os.devnull)
    assert run_validate(capsys, files, engine, "--output", link).code == 1
    assert link.is_symlink() and stat.S_ISCHR(Path(os.devnull).stat().st_mode)
    if os.geteuid() == 0:  # root may make a device node of its own, which is safe to lose
        node = tmp_path / "own-null"
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        assert run_validate(capsys, files, engine, "--output", node).code == 1
        assert stat.S_ISCHR(node.lstat().st_mode)


def test_output_replaces_a_regular_file_whole_and_keeps_its_mode(tmp_path: Path) -> None:
    target = write(tmp_path / "r.json", "previous\n")
    target.chmod(0o600)
    inode = target.stat().st_ino
    write_file(target, "new report\n")
    assert target.read_text() == "new report\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.stat().st_ino != inode  # replaced by rename, never rewritten in place
    write_file(tmp_path / "b.bin", b"\x00\xff")
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\xff"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.bin", "r.json"]


def test_output_writer_protects_what_the_caller_names(tmp_path: Path) -> None:
    """The writer is a function of (path, content, inputs): a command writing several files
    protects the ones it wrote already by passing them along."""
    first = tmp_path / "a.json"
    write_file(first, "{}\n")
    again = Input(first, "the --output file written just before")
    with pytest.raises(OutputError, match=r"it is the --output file written just before"):
        write_file(tmp_path / "." / "a.json", "other\n", [again])
    assert first.read_text() == "{}\n"
    # an input that does not exist, or lives in object storage, protects nothing and breaks nothing
    write_file(tmp_path / "b.json", "{}\n", [Input(tmp_path / "gone", "x"), Input("s3://b/k", "y")])
    assert (tmp_path / "b.json").read_text() == "{}\n"


def test_output_to_an_open_descriptor_writes_to_it(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], engine: str, tmp_path: Path
) -> None:
    """``--output /dev/fd/N`` (and ``/dev/stdout``, or a link to one) writes to the descriptor
    the caller opened: ``>> log`` keeps its lines, a pipe gets the report."""
    log = write(tmp_path / "log.txt", "an earlier line\n")
    descriptor = os.open(log, os.O_WRONLY | os.O_APPEND)
    try:
        inode = log.stat().st_ino
        link = tmp_path / "out"
        link.symlink_to(f"/proc/self/fd/{descriptor}")
        for destination in (Path(f"/dev/fd/{descriptor}"), link):
            run = run_validate(capsys, files, engine, "--format", "json", "--output", destination)
            assert run.code == 1, run.err
    finally:
        os.close(descriptor)
    assert log.stat().st_ino == inode  # the caller's file, not a new one in its place
    first, rest = log.read_text().split("\n", 1)
    assert first == "an earlier line"
    reports = rest.replace("}\n{", "}\n\x00{").split("\x00")
    assert [json.loads(text)["passed"] for text in reports] == [False, False]
    # a descriptor that is not open is an error naming the path, exit 2
    run = run_validate(capsys, files, engine, "--output", Path(f"/dev/fd/{descriptor}"))
    assert run.code == 2 and f"cannot write /dev/fd/{descriptor}: Bad file descriptor" in run.err


def test_output_to_dev_stdout_in_a_pipe_reaches_the_reader(files: dict[str, Path]) -> None:
    command = [sys.executable, "-m", "accord.cli.app", "validate", str(files["contract"])]
    args = [str(files["data"]), "--ref", f"codes={files['codes']}", "--format", "json"]
    done = subprocess.run(
        [*command, *args, "--output", "/dev/stdout"],
        capture_output=True,  # a pipe: /dev/stdout resolves to "pipe:[...]", not a file
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["passed"] is False
