"""`serve` keeps its child processes alive (the background worker, and with `--workers N` the web
processes): each restarted when it dies, stopped when serve stops.

Each child asks to die with serve too (Linux: PR_SET_PDEATHSIG, `die_with_parent`), so even a kill -9
of serve leaves no orphan behind to pile up with the next start's."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

RESTART_DELAYS = (1, 2, 5, 10, 30)  # seconds: a worker dying at start must not spin
HEALTHY_AFTER = 60.0  # a worker that ran this long starts the delays over


PARENT_ENV = "GIAMNGHEO_DIE_WITH"  # the supervising serve's pid, read by the child at its start


def die_with_parent() -> None:
    """In a child serve started: ask Linux to end this process when that serve ends (PR_SET_PDEATHSIG).

    The child asks for itself at start, not through Popen's preexec_fn: code run between fork and exec
    in a process with threads (serve's supervisors start children from threads) can deadlock on a lock
    another thread held at the fork, which left a web process frozen as a copy of serve."""
    parent = os.environ.pop(PARENT_ENV, None)
    if parent is None:
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: serve's own stop still ends the child
        return
    if os.getppid() != int(parent):  # serve died before the request took effect: nobody would stop us
        os.kill(os.getpid(), signal.SIGTERM)


class WorkerSupervisor:
    def __init__(
        self,
        argv: list[str] | None = None,
        log=None,
        *,
        pass_fds: tuple[int, ...] = (),
        what: tuple[str, str] = ("Tiến trình nền", "the background worker"),
        holds: object = None,
    ):
        self.argv = argv or [sys.executable, "-m", "giamngheo.cli.main", "worker"]
        self.pass_fds, self.what = pass_fds, what
        self.holds = holds  # what owns `pass_fds` (a listening socket), kept open as long as we are
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
                self.process = subprocess.Popen(  # noqa: S603
                    self.argv,
                    env={**os.environ, PARENT_ENV: str(os.getpid())},
                    start_new_session=True,
                    pass_fds=self.pass_fds,  # a web process serves the socket serve opened
                )
                self.starts += 1
            code = self.process.wait()
            if self.stopping.is_set():
                return
            failures = 0 if time.monotonic() - started > HEALTHY_AFTER else failures + 1
            delay = RESTART_DELAYS[min(failures, len(RESTART_DELAYS)) - 1] if failures else RESTART_DELAYS[0]
            self.log(
                f"{self.what[0]} dừng (mã {code}), khởi động lại sau {delay} giây / "
                f"{self.what[1]} exited (code {code}); restarting in {delay} s"
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
