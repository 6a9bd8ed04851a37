"""``accord validate --engine pyspark`` against real Spark servers on 127.0.0.1: a standalone
cluster (a master and two workers, ``--spark-master spark://...``) and a Spark Connect server
(``--spark-remote sc://...``), both started from the pyspark installation and stopped after.

Each runs the CLI in a fresh process (a Python process holds one kind of session) on several
Parquet files and must print polars' report. They are few and bounded: every wait has a timeout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from fault_support import write_contract
from local_servers import free_port, wait_until_listening

pytestmark = pytest.mark.spark

CONTRACT = """\
dataset:
  primary_key: [id]
  rules:
    - {name: ordered, assert: "lo <= hi"}
fields:
  id: {type: int64}
  name: {type: string, nullable: true, checks: [{pattern: "[a-z]+"}]}
  lo: {type: int64, nullable: true}
  hi: {type: int64, nullable: true, checks: [{max: 100}]}
"""
STARTUP_S = 300


def spark_home() -> Path:
    pyspark = pytest.importorskip("pyspark", reason="the spark extra is not installed")
    return Path(pyspark.__file__).parent


def spark_env(tmp: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SPARK_HOME": str(spark_home()),
        "SPARK_LOG_DIR": str(tmp / "logs"),
        "SPARK_PID_DIR": str(tmp / "pids"),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "SPARK_IDENT_STRING": "accord-tests",
    }


def dataset(tmp: Path) -> tuple[Path, Path]:
    folder = tmp / "data"
    folder.mkdir()
    first = {"id": [1, 2, 2], "name": ["ab", "B", None], "lo": [1, 5, None], "hi": [2, 1, 3]}
    pl.DataFrame(first).write_parquet(folder / "a.parquet")
    second = {"id": list(range(5, 505)), "name": ["x"] * 499 + ["y z"], "lo": [0] * 500}
    pl.DataFrame({**second, "hi": [1] * 499 + [-1]}).write_parquet(folder / "b.parquet")
    return write_contract(tmp, CONTRACT), folder


def report_of(contract: Path, data: Path, *options: str) -> tuple[int, dict[str, Any]]:
    """The CLI's JSON report in a fresh process, without the fields that differ by engine."""
    command = [sys.executable, "-m", "accord.cli.app", "validate", str(contract), str(data)]
    run = subprocess.run(
        [*command, "--format", "json", "--max-examples", "10", *options],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert "Traceback" not in run.stderr, run.stderr
    assert run.stdout, run.stderr  # no report: the run said why on stderr
    # nothing between a report's lines on a terminal: pyspark's pandas warning, progress bars
    assert "FutureWarning" not in run.stderr, run.stderr
    if "--spark-master" in options:
        assert "[Stage " not in run.stderr, run.stderr
    report = json.loads(run.stdout)
    for key in ("engine", "started_at", "duration_s"):
        report.pop(key)
    for found in report["violations"]:
        found["details"].pop("actual", None)
    return run.returncode, report


@pytest.fixture(scope="module")
def connect_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("connect")
    home, env, port = spark_home(), spark_env(tmp), free_port()
    settings = [
        f"spark.connect.grpc.binding.port={port}",
        "spark.connect.grpc.binding.address=127.0.0.1",
        "spark.ui.enabled=false",
    ]
    subprocess.run(
        [str(home / "sbin" / "start-connect-server.sh"), "--master", "local[2]"]
        + [part for setting in settings for part in ("--conf", setting)],
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
    )
    try:
        wait_until_listening(port, "the Spark Connect server", within_s=STARTUP_S)
        yield f"sc://127.0.0.1:{port}"
    finally:  # stops the server by the pid file the start script wrote
        subprocess.run(
            [str(home / "sbin" / "stop-connect-server.sh")],
            env=env,
            timeout=120,
            check=False,
            capture_output=True,
        )


@pytest.fixture(scope="module")
def master_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A standalone master and two one-core workers, each a process of this fixture."""
    tmp = tmp_path_factory.mktemp("cluster")
    home, env, port = spark_home(), spark_env(tmp), free_port()
    spark_class = str(home / "bin" / "spark-class")
    url = f"spark://127.0.0.1:{port}"
    logs = tmp / "logs"
    logs.mkdir()
    started: list[subprocess.Popen[bytes]] = []

    def launch(name: str, *args: str) -> None:
        with (logs / f"{name}.log").open("wb") as log:
            started.append(subprocess.Popen([spark_class, *args], env=env, stdout=log, stderr=log))

    try:
        launch(
            "master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
            "--port", str(port), "--webui-port", str(free_port()),
        )  # fmt: skip
        wait_until_listening(port, "the Spark master", within_s=STARTUP_S)
        for index in range(2):
            launch(
                f"worker{index}", "org.apache.spark.deploy.worker.Worker", url,
                "--host", "127.0.0.1", "--cores", "1", "--memory", "512m",
                "--webui-port", str(free_port()), "--work-dir", str(tmp / f"work{index}"),
            )  # fmt: skip
        yield url
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=60)


def test_a_spark_connect_server_gives_polars_report(connect_url: str, tmp_path: Path) -> None:
    contract, data = dataset(tmp_path)
    remote = report_of(contract, data, "--engine", "pyspark", "--spark-remote", connect_url)
    assert remote == report_of(contract, data, "--engine", "polars")
    assert remote[0] == 1 and remote[1]["dataset"]["rows"] == 503


def test_a_standalone_cluster_gives_polars_report(master_url: str, tmp_path: Path) -> None:
    contract, data = dataset(tmp_path)
    options = [
        "--spark-conf",
        "spark.executor.memory=512m",
        "--spark-conf",
        "spark.ui.enabled=false",
    ]
    on_cluster = report_of(
        contract, data, "--engine", "pyspark", "--spark-master", master_url, *options
    )
    assert on_cluster == report_of(contract, data, "--engine", "polars")
    rule = next(v for v in on_cluster[1]["violations"] if v["code"] == "dataset.rule")
    assert [(Path(e["file"]).name, e["row"]) for e in rule["examples"]] == [
        ("a.parquet", 1),
        ("a.parquet", 2),
        ("b.parquet", 499),
    ]
