"""`serve` keeps its background worker alive: restarted when it dies, stopped when serve stops.

The worker is told to die with serve too (Linux: PR_SET_PDEATHSIG), so even a kill -9 of serve
leaves no orphan worker behind to pile up with the next start's."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

RESTART_DELAYS = (1, 2, 5, 10, 30)  # seconds: a worker dying at start must not spin
HEALTHY_AFTER = 60.0  # a worker that ran this long starts the delays over


def _die_with_parent() -> None:
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: serve's own stop still ends the worker
        pass


class WorkerSupervisor:
    def __init__(self, argv: list[str] | None = None, log=None):
        self.argv = argv or [sys.executable, "-m", "giamngheo.cli.main", "worker"]
        self.log = log or (lambda text: print(text, file=sys.stderr, flush=True))
        self.process: subprocess.Popen | None = None
        self.stopping = threading.Event()
        self.lock = threading.Lock()  # a stop never misses a worker being started at that moment
        self.thread = threading.Thread(target=self._loop, name="giamngheo-worker-supervisor", daemon=True)
        self.starts = 0

    def start(self) -> WorkerSupervisor:
        self.thread.start()
        return self

    def _loop(self) -> None:
        failures = 0
        while not self.stopping.is_set():
            started = time.monotonic()
            with self.lock:
                if self.stopping.is_set():
                    return
                # its own session: a Ctrl-C in the terminal reaches serve, which then stops it in order
                self.process = subprocess.Popen(
                    self.argv,
                    preexec_fn=_die_with_parent,  # noqa: S603, PLW1509
                    start_new_session=True,
                )
                self.starts += 1
            code = self.process.wait()
            if self.stopping.is_set():
                return
            failures = 0 if time.monotonic() - started > HEALTHY_AFTER else failures + 1
            delay = RESTART_DELAYS[min(failures, len(RESTART_DELAYS)) - 1] if failures else RESTART_DELAYS[0]
            self.log(
                f"Tiến trình nền dừng (mã {code}), khởi động lại sau {delay} giây / "
                f"the background worker exited (code {code}); restarting in {delay} s"
            )
            if self.stopping.wait(delay):
                return

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM lets the worker finish its job; a second SIGTERM ends it (the job is then marked
        stopped); after that, SIGKILL (the next worker's sweep ends the job with a message)."""
        with self.lock:
            self.stopping.set()
            process = self.process
        if process is not None and process.poll() is None:
            for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGTERM, 10.0), (signal.SIGKILL, 10.0)):
                try:
                    process.send_signal(sig)
                    process.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
                except ProcessLookupError:
                    break
        self.thread.join(timeout=5)
