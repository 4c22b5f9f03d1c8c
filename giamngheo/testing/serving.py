"""Start the real `giamngheo serve` from a test and stop it again, one way for every test.

Tests that need a running server (behind a proxy, restore while serving, the browser flow) each
used to pick a port, start the process and poll it their own way, and one carried on silently
when the server never came up. Here the server runs in its own process group, so stopping it
also stops the worker it supervises.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

COMMAND = (sys.executable, "-m", "giamngheo.cli.main")


def free_port() -> int:
    """A port nothing listens on now (the kernel's choice), for one server."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_serve(env: dict, *options: str, port: int, stderr=subprocess.DEVNULL) -> subprocess.Popen:
    """`giamngheo serve --port PORT OPTIONS` against `env`'s database, in its own process group."""
    return subprocess.Popen(
        [*COMMAND, "serve", "--port", str(port), *options],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        text=True,
        start_new_session=True,
    )


def wait_listening(process: subprocess.Popen, port: int, *, timeout: float = 240.0) -> None:
    """Return once the server accepts connections; fail if it exits or never listens."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert process.poll() is None, f"serve exited with {process.returncode}"
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)


def stop(process: subprocess.Popen, *, timeout: float = 60.0) -> int:
    """SIGTERM to the server's process group (what a service manager sends); its exit code."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    return process.wait(timeout=timeout)


@contextmanager
def serving(env: dict, *options: str, stderr=subprocess.DEVNULL) -> Iterator[tuple[subprocess.Popen, int]]:
    """A started and listening `serve` with its port, stopped when the block ends (`stderr`: an open
    file for what serve and its children print, for a failing test to show)."""
    port = free_port()
    process = start_serve(env, *options, port=port, stderr=stderr)
    try:
        wait_listening(process, port)
        yield process, port
    finally:
        stop(process)
