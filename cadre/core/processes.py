"""Running the web server and the task worker side by side, as `cadre demo` and `cadre serve` do.

`Supervisor` starts each child process, waits, and stops them all together: on Ctrl-C (SIGINT)
or SIGTERM it asks each child to stop with SIGTERM, gives them `stop_timeout` seconds, then kills
whatever is left; if one child dies, it stops the others and reports failure. Children run in
process groups of their own, so a Ctrl-C in the terminal reaches only the supervisor, which
stops them in order; on Linux each child is also told to stop if the supervisor itself is
killed outright, so nothing is left holding the port.

No Django here: the module is used before and outside Django's set-up as well as by commands."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@dataclass(frozen=True)
class Child:
    """A process to run: `name` is how messages refer to it ("the web server")."""

    name: str
    argv: tuple[str, ...]
    env: Mapping[str, str] | None = None


def _stop_when_parent_dies_function() -> Callable[[], None] | None:
    """A function for `preexec_fn` that asks Linux to send the child SIGTERM when its parent
    dies (prctl PR_SET_PDEATHSIG). Prepared in the parent; None where there is no prctl."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def stop_when_parent_dies() -> None:
        prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before the request took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return stop_when_parent_dies


class Supervisor:
    def __init__(
        self,
        children: Sequence[Child],
        *,
        stop_timeout: float = 10.0,
        poll_interval: float = 0.1,
        report: Callable[[str], None] | None = None,
        ready: Callable[[], bool] | None = None,
        ready_message: str = "",
    ):
        if not children:
            raise ValueError("There is nothing to run.")
        self.children = list(children)
        self.stop_timeout = stop_timeout
        self.poll_interval = poll_interval
        self.report = report or _print_to_stderr
        self.ready = ready
        self.ready_message = ready_message
        self.processes: list[subprocess.Popen] = []
        self._stop_signal: int | None = None
        self._signals_received = 0

    # --- running ------------------------------------------------------------------------------

    def run(self) -> int:
        """Start every child and wait. Returns 0 after a requested stop, 1 if a child failed."""
        previous = self._install_signal_handlers()
        try:
            if not self._start():
                return 1
            return self._watch()
        finally:
            self.stop()
            self._restore_signal_handlers(previous)

    def _start(self) -> bool:
        preexec = _stop_when_parent_dies_function()
        for child in self.children:
            try:
                process = subprocess.Popen(  # noqa: S603 (our own argv, never a shell)
                    list(child.argv),
                    env=None if child.env is None else dict(child.env),
                    stdin=subprocess.DEVNULL,
                    process_group=0,
                    preexec_fn=preexec,  # the supervisor runs no threads
                )
            except OSError as error:
                self.report(f"Could not start the {child.name}: {error}.")
                return False
            self.processes.append(process)
            self.report(f"Started the {child.name} (process {process.pid}).")
        return True

    def _watch(self) -> int:
        announced = self.ready is None
        while True:
            if self._stop_signal is not None:
                self.report(f"Received {signal.Signals(self._stop_signal).name}: stopping.")
                return 0
            for child, process in zip(self.children, self.processes, strict=True):
                code = process.poll()
                if code is not None:
                    others = [c.name for c in self.children if c is not child]
                    then = f"; stopping the {' and the '.join(others)}" if others else ""
                    how = f"exit code {code}" if code >= 0 else f"ended by {_signal_name(-code)}"
                    self.report(f"The {child.name} stopped unexpectedly ({how}){then}.")
                    return 1
            if not announced and self.ready():
                announced = True
                if self.ready_message:
                    self.report(self.ready_message)
            time.sleep(self.poll_interval)

    # --- stopping -------------------------------------------------------------------------

    def stop(self) -> None:
        """Ask every running child to stop (SIGTERM), wait up to `stop_timeout` seconds, then kill
        what is left, including anything the child started in its process group. Safe to repeat."""
        running = [p for p in self.processes if p.poll() is None]
        for process in running:
            _signal(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        signals_at_start = self._signals_received
        while any(p.poll() is None for p in running):
            # A second Ctrl-C while waiting means: do not wait any longer.
            hurried = self._signals_received > signals_at_start
            if hurried or time.monotonic() >= deadline:
                for process in running:
                    if process.poll() is None:
                        why = "asked again" if hurried else f"not stopped after {self.stop_timeout:g} seconds"
                        self.report(f"Process {process.pid} {why}: killing it.")
                        _signal_group(process.pid, signal.SIGKILL)
                break
            time.sleep(0.05)
        for process in self.processes:
            process.wait()
            _signal_group(process.pid, signal.SIGKILL)  # stragglers the child left in its group
        if running:
            self.report("Stopped.")

    # --- signals --------------------------------------------------------------------------

    def _on_signal(self, signum, frame) -> None:
        self._signals_received += 1
        if self._stop_signal is None:
            self._stop_signal = signum

    def _install_signal_handlers(self) -> dict[int, object]:
        previous = {}
        for signum in STOP_SIGNALS:
            try:
                previous[signum] = signal.signal(signum, self._on_signal)
            except ValueError:  # not the main thread: the caller handles signals
                break
        return previous

    @staticmethod
    def _restore_signal_handlers(previous: dict[int, object]) -> None:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def _signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


def _print_to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- what Cadre runs --------------------------------------------------------------------------


def web_server(*, bind: str, workers: int, threads: int, access_log: bool, env=None) -> Child:
    """gunicorn serving cadre.wsgi."""
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "cadre.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--graceful-timeout",
        "8",
        "--no-control-socket",  # the supervisor is the control; two instances would share one socket
        "--log-level",
        "info" if access_log else "warning",
    ]
    if access_log:
        argv += ["--access-logfile", "-"]
    return Child("web server", tuple(argv), env)


def task_worker(*, backend: str, env=None) -> Child | None:
    """The worker for the configured task backend, or None when tasks run as they are queued."""
    cadre = (sys.executable, "-m", "cadre")
    if backend == "database":
        return Child("task worker", (*cadre, "db_worker", "--no-startup-delay"), env)
    if backend == "rq":
        return Child("task worker", (*cadre, "rqworker", "--job-class", "django_tasks_rq.Job", "default"), env)
    return None


def scheduler(*, env=None, every_minutes: float = 15) -> Child:
    """Starts due diagnostic rounds and sends due reminders every few minutes."""
    return Child("scheduler", (sys.executable, "-m", "cadre", "run_schedule", "--every", str(every_minutes)), env)


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def answers(host: str, port: int, timeout: float = 0.2) -> bool:
    """Whether something accepts connections at host:port."""
    if host in {"0.0.0.0", "::", ""}:  # noqa: S104 (listening everywhere: ask the local address)
        host = "127.0.0.1"
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def split_bind(bind: str) -> tuple[str, int]:
    """'127.0.0.1:8000' -> ('127.0.0.1', 8000); '[::1]:8000' -> ('::1', 8000)."""
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"‘{bind}’ is not an address and port, such as 127.0.0.1:8000.")
    return host.strip("[]"), int(port)


class PortInUse(Exception):
    pass


def serve(
    *,
    bind: str,
    workers: int,
    threads: int,
    task_backend: str,
    access_log: bool,
    env: Mapping[str, str] | None = None,
    report: Callable[[str], None] | None = None,
    ready_message: str = "",
) -> int:
    """Run the web server and the task worker until stopped; the exit status to return.
    Raises PortInUse before starting anything if the address is taken."""
    host, port = split_bind(bind)
    if not port_is_free(host, port):
        raise PortInUse(f"Something is already using {bind}.")
    children = [web_server(bind=bind, workers=workers, threads=threads, access_log=access_log, env=env)]
    worker = task_worker(backend=task_backend, env=env)
    if worker is not None:
        children.append(worker)
    children.append(scheduler(env=env))
    supervisor = Supervisor(children, report=report, ready=lambda: answers(host, port), ready_message=ready_message)
    return supervisor.run()
