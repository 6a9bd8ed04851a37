"""Servers the tests start on 127.0.0.1 (moto's S3, the Cloud Storage emulator, Spark): a free
port to give them, and a wait until they listen that fails the test with what did not start."""

from __future__ import annotations

import socket
import subprocess
import time

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_listening(
    port: int, what: str, *, within_s: float, server: subprocess.Popen[bytes] | None = None
) -> None:
    """Return once 127.0.0.1:``port`` accepts connections; fail when ``within_s`` passes or
    ``server`` (the process meant to listen) ends first."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        if server is not None and server.poll() is not None:
            pytest.fail(f"{what} ended before it listened on 127.0.0.1:{port}")
        time.sleep(0.2)
    pytest.fail(f"{what} did not listen on 127.0.0.1:{port} within {within_s:.0f}s")
