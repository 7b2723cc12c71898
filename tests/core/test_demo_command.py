import os
import select
import signal
import socket
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError

from cadre.core.management.commands import demo as demo_command
from cadre.core.models import AuditEntry, Department, Membership, Network, NetworkMembership, Organisation, User
from cadre.core.processes import Child, Supervisor
from cadre.demo.data import DEMO_PASSWORD
from cadre.demo.generate import generate_demo
from cadre.frameworks.models import GradeMapping, Tier
from cadre.people.models import Person

REPO = Path(__file__).resolve().parents[2]
SLEEPER = (sys.executable, "-c", "import time; time.sleep(30)")


def counts() -> dict[str, int]:
    models = (
        Organisation,
        Network,
        NetworkMembership,
        Department,
        Tier,
        GradeMapping,
        Person,
        User,
        EmailAddress,
        Membership,
        AuditEntry,
    )
    return {model.__name__: model.objects.count() for model in models}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


# --- cadre demo -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_no_serve_loads_once_and_prints_the_sign_ins(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "fresh-var"
    first = run_demo("--no-serve")
    assert settings.VAR_DIR.is_dir()
    after_first = counts()
    assert after_first["Person"] == len(generate_demo().people)
    assert "Loaded the demo in" in first
    assert "http://127.0.0.1:8000" in first
    for sign_in in generate_demo().sign_ins:
        row = next(line for line in first.splitlines() if sign_in.email in line)
        assert sign_in.kind in row and DEMO_PASSWORD in row

    second = run_demo("--no-serve")
    assert counts() == after_first
    assert "already loaded" in second
    assert all(s.email in second for s in generate_demo().sign_ins)


@pytest.mark.django_db
def test_demo_runs_gunicorn_and_the_task_worker_on_the_chosen_port(settings, monkeypatch):
    settings.TASK_BACKEND = "database"
    port = free_port()
    started = {}

    def fake_run(supervisor):
        started["children"] = supervisor.children
        return 0

    monkeypatch.setattr(Supervisor, "run", fake_run)
    out = run_demo("--port", str(port))
    web, worker, scheduler = started["children"]
    assert scheduler.name == "scheduler"
    assert web.argv[1:4] == ("-m", "gunicorn", "cadre.wsgi:application")
    assert web.argv[web.argv.index("--bind") + 1] == f"127.0.0.1:{port}"
    assert web.env["DEBUG"] == "0" and web.env["SITE_URL"] == f"http://127.0.0.1:{port}"
    assert "--no-control-socket" in web.argv
    assert worker.argv[-2:] == ("db_worker", "--no-startup-delay")
    assert f"http://127.0.0.1:{port}" in out and "Ctrl-C" in out


@pytest.mark.django_db
def test_demo_exits_non_zero_when_a_process_fails(monkeypatch):
    monkeypatch.setattr(Supervisor, "run", lambda supervisor: 1)
    with pytest.raises(CommandError, match="one of its processes failed") as caught:
        run_demo("--port", str(free_port()))
    assert caught.value.returncode == 1


def test_demo_refuses_a_port_in_use_before_touching_the_database():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(CommandError, match=f"already using port {port}"):
            run_demo("--port", str(port))


class FakeConnections:
    def __init__(self, settings_dict):
        self.settings_dict = settings_dict
        self.closed = False

    def __getitem__(self, alias):
        return self

    def close_all(self):
        self.closed = True


@pytest.fixture
def sqlite_files(tmp_path, monkeypatch):
    database = tmp_path / "cadre.sqlite3"
    files = [database, tmp_path / "cadre.sqlite3-wal", tmp_path / "cadre.sqlite3-shm"]
    for path in files:
        path.write_bytes(b"data")
    fake = FakeConnections({"ENGINE": "django.db.backends.sqlite3", "NAME": database})
    monkeypatch.setattr(demo_command, "connections", fake)
    return files, fake


def test_reset_with_yes_deletes_the_sqlite_database_and_its_journal(sqlite_files):
    files, fake = sqlite_files
    out = StringIO()
    command = demo_command.Command(stdout=out)
    command._reset(yes=True)
    assert not any(path.exists() for path in files)
    assert fake.closed and f"Deleted {files[0]}" in out.getvalue()


def test_reset_without_yes_asks_and_keeps_the_database_unless_told_yes(sqlite_files, monkeypatch):
    files, _ = sqlite_files
    command = demo_command.Command(stdout=StringIO())
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    with pytest.raises(CommandError, match="Add --yes"):
        command._reset(yes=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Nothing was deleted"):
        command._reset(yes=False)
    assert all(path.exists() for path in files)
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    command._reset(yes=False)
    assert not any(path.exists() for path in files)


def test_reset_refuses_a_database_that_is_not_an_sqlite_file(monkeypatch):
    command = demo_command.Command(stdout=StringIO())
    monkeypatch.setattr(
        demo_command, "connections", FakeConnections({"ENGINE": "django.db.backends.postgresql", "NAME": "cadre"})
    )
    with pytest.raises(CommandError, match="another database"):
        command._reset(yes=True)
    monkeypatch.setattr(
        demo_command, "connections", FakeConnections({"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"})
    )
    with pytest.raises(CommandError, match="in memory"):
        command._reset(yes=True)


# --- cadre serve ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_serve_runs_the_web_server_with_the_given_workers_and_the_worker(settings, monkeypatch):
    settings.TASK_BACKEND = "database"
    started = {}
    monkeypatch.setattr(Supervisor, "run", lambda supervisor: started.setdefault("children", supervisor.children) and 0)
    port = free_port()
    call_command("serve", "--bind", f"127.0.0.1:{port}", "--workers", "3", stdout=StringIO())
    web, worker, scheduler = started["children"]
    assert scheduler.name == "scheduler" and "run_schedule" in scheduler.argv
    assert web.argv[web.argv.index("--workers") + 1] == "3"
    assert web.argv[web.argv.index("--bind") + 1] == f"127.0.0.1:{port}"
    assert "--access-logfile" in web.argv
    assert "db_worker" in worker.argv


@pytest.mark.django_db
def test_serve_without_a_worker_when_tasks_run_immediately(settings, monkeypatch):
    settings.TASK_BACKEND = "immediate"
    started = {}
    monkeypatch.setattr(Supervisor, "run", lambda supervisor: started.setdefault("children", supervisor.children) and 0)
    call_command("serve", "--bind", f"127.0.0.1:{free_port()}", stdout=StringIO())
    assert [child.name for child in started["children"]] == ["web server", "scheduler"]


def test_serve_refuses_an_address_without_a_port():
    with pytest.raises(CommandError, match="not an address and port"):
        call_command("serve", "--bind", "localhost", stdout=StringIO())


# --- the supervisor ---------------------------------------------------------------------------


def alive(pid: int) -> bool:
    """Running, and not merely a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return state not in {"Z", "X"}


def wait_until_gone(pids: list[int], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(alive(pid) for pid in pids):
            return True
        time.sleep(0.05)
    return False


SUPERVISOR_SCRIPT = """
import sys
from cadre.core.processes import Child, Supervisor

sleeper = (sys.executable, "-c", "import time; time.sleep(30)")
supervisor = Supervisor(
    [Child("first sleeper", sleeper), Child("second sleeper", sleeper)],
    stop_timeout=5,
    report=lambda message: print(message, flush=True),
)
sys.exit(supervisor.run())
"""


class SupervisorProcess:
    """The supervisor in a process of its own, so that signals reach it and not pytest."""

    def __init__(self):
        self.process = subprocess.Popen(
            [sys.executable, "-c", SUPERVISOR_SCRIPT],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.output = b""

    def read_until(self, predicate, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        fd = self.process.stdout.fileno()
        while not predicate(self.output.decode()):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"Timed out; the supervisor said:\n{self.output.decode()}")
            ready, _, _ = select.select([fd], [], [], remaining)
            if ready:
                chunk = os.read(fd, 4096)
                if not chunk:
                    break
                self.output += chunk
        return self.output.decode()

    def child_pids(self) -> list[int]:
        text = self.read_until(lambda text: text.count("(process ") == 2)
        return [int(part.split(")")[0]) for part in text.split("(process ")[1:]]

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_the_supervisor_stops_both_children_on_a_stop_signal(stop_signal):
    supervisor = SupervisorProcess()
    pids = []
    try:
        pids = supervisor.child_pids()
        assert all(alive(pid) for pid in pids)
        supervisor.process.send_signal(stop_signal)
        assert supervisor.process.wait(timeout=15) == 0
        text = supervisor.read_until(lambda text: "Stopped." in text)
        assert f"Received {stop_signal.name}: stopping." in text
        assert wait_until_gone(pids, timeout=2)
    finally:
        supervisor.kill()
        for pid in pids:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_children_stop_when_the_supervisor_is_killed_outright():
    supervisor = SupervisorProcess()
    pids = []
    try:
        pids = supervisor.child_pids()
        supervisor.process.kill()
        supervisor.process.wait(timeout=5)
        assert wait_until_gone(pids, timeout=10)
    finally:
        for pid in pids:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_when_one_child_dies_the_other_is_stopped_and_the_supervisor_fails():
    messages = []
    failing = Child("task worker", (sys.executable, "-c", "import time, sys; time.sleep(0.5); sys.exit(3)"))
    supervisor = Supervisor([Child("web server", SLEEPER), failing], report=messages.append)
    started = time.monotonic()
    assert supervisor.run() == 1
    assert time.monotonic() - started < 10
    assert "The task worker stopped unexpectedly (exit code 3); stopping the web server." in messages
    assert all(process.poll() is not None for process in supervisor.processes)
    assert not any(alive(process.pid) for process in supervisor.processes)


def test_a_child_that_ignores_sigterm_is_killed_after_the_stop_timeout():
    stubborn = (
        sys.executable,
        "-c",
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(30)",
    )
    failing = Child("worker", (sys.executable, "-c", "import time, sys; time.sleep(1); sys.exit(2)"))
    messages = []
    supervisor = Supervisor([Child("stubborn", stubborn), failing], stop_timeout=0.5, report=messages.append)
    started = time.monotonic()
    assert supervisor.run() == 1
    assert time.monotonic() - started < 10
    assert any("not stopped after 0.5 seconds: killing it" in m for m in messages)
    assert supervisor.processes[0].returncode == -signal.SIGKILL


def test_the_supervisor_reports_a_child_it_cannot_start():
    messages = []
    supervisor = Supervisor(
        [Child("web server", SLEEPER), Child("task worker", ("/nonexistent/cadre-worker",))],
        report=messages.append,
    )
    assert supervisor.run() == 1
    assert any(m.startswith("Could not start the task worker") for m in messages)
    assert not alive(supervisor.processes[0].pid)
