"""Peak memory of validating Parquet on S3 in batches: it must stay a batch, not grow with the file.

``python -m benchmarks.remote --rows 1000000 5000000 --batch-rows 100000`` starts moto's S3
server on 127.0.0.1 (in this process), uploads the benchmark table of each size
(``benchmarks.generate``), and runs ``accord validate benchmarks/contract.yaml s3://...`` as a
user would, each in its own process, measuring its wall time and peak RSS (``os.wait4``):

- ``s3-batched``: ``--batch-rows N``, streamed from the object store (no local copy);
- ``s3-whole``: ``--batch-rows 0``, the whole table in memory, for scale;
- ``local-batched``: the same file on local disk, ``--batch-rows N``.

CPU s is the validating process's alone: moto answers ranged reads slowly (a Python server in
this process), so wall time against it says little about real object storage.

The failure counts of every variant must equal the local run's. Needs ``moto[server]`` (dev).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from benchmarks.generate import ensure
from benchmarks.run import ACCORD, CONTRACT, measure

BUCKET = "bench"


def _start_server() -> tuple[Any, str]:
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # a line per request otherwise

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return server, f"http://{host}:{port}"


def _counts(stdout: str) -> dict[str, int] | None:
    try:
        report = json.loads(stdout)
    except ValueError:
        return None
    return {v["check_id"]: v["failure_count"] for v in report["violations"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--batch-rows", type=int, default=100_000)
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args(argv)

    import boto3

    server, endpoint = _start_server()
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ENDPOINT_URL=endpoint,
        AWS_EC2_METADATA_DISABLED="true",
    )
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    print("| rows | file MiB | variant | exit | wall s | CPU s | peak RSS MB | counts as local |")
    print("|---|---|---|---|---|---|---|---|")
    try:
        for rows in args.rows:
            data = ensure(rows, log=lambda line: print(line, file=sys.stderr))
            client.upload_file(str(data), BUCKET, data.name)
            uri = f"s3://{BUCKET}/{data.name}"
            size = data.stat().st_size / 2**20
            local = _run(data, args.batch_rows, args.timeout)
            expected = _counts(local.stdout)
            for variant, target, batch in (
                ("s3-batched", uri, args.batch_rows),
                ("s3-whole", uri, 0),
                ("local-batched", str(data), args.batch_rows),
            ):
                m = local if variant == "local-batched" else _run(target, batch, args.timeout)
                same = "same" if _counts(m.stdout) == expected else "DIFFERENT"
                print(
                    f"| {rows:,} | {size:.0f} | {variant} | {m.returncode} | {m.wall_s:.1f} | "
                    f"{m.cpu_s:.1f} | {m.max_rss_mb:.0f} | {same} |",
                    flush=True,
                )
                if m.returncode not in (0, 1):
                    print(m.stderr, file=sys.stderr)
    finally:
        server.stop()
    return 0


def _run(data: Path | str, batch_rows: int, timeout: float) -> Any:
    command = [ACCORD, "validate", str(CONTRACT), str(data), "--format", "json"]
    return measure([*command, "--batch-rows", str(batch_rows)], timeout)


if __name__ == "__main__":
    raise SystemExit(main())
