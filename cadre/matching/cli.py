"""`cadre match-mentors` without Django: `python -m cadre.matching --mentees MENTEES.csv --mentors
MENTORS.csv --out MATCHES.csv` (or `python -m cadre.matching.cli ...`). The management command
`match_mentors` calls the same `match_files`, so both print the same lines and exit with the same
status."""

import argparse
import os
import sys
import time
from typing import TextIO


def process_started() -> float:
    """The time.perf_counter() reading when this process started (from /proc on Linux), so the
    summary's seconds cover the whole command; now, where that cannot be read."""
    now = time.perf_counter()
    try:
        with open("/proc/self/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        with open("/proc/uptime", "rb") as uptime:
            since_boot = float(uptime.read().split()[0])
        age = since_boot - int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return now
    return now - min(max(age, 0.0), 3600.0)


def match_files(*, mentees: str, mentors: str, out: str, started: float, stdout: TextIO, stderr: TextIO) -> int:
    """Run the matching; print the summary line, or every problem with the files. Returns the
    exit status: 0 when the matches file was written (unmatched mentees included), 1 if not."""
    from cadre.matching.csvio import InputError
    from cadre.matching.services import run

    try:
        summary = run(mentees_path=mentees, mentors_path=mentors, out_path=out, started=started)
    except InputError as error:
        for problem in error.problems:
            stderr.write(f"error: {problem}\n")
        stderr.write(f"error: nothing was written to {out}.\n")
        return 1
    except OSError as error:
        stderr.write(f"error: {out} cannot be written ({error.strerror or error}).\n")
        return 1
    stdout.write(summary.line() + "\n")
    return 0


def parser() -> argparse.ArgumentParser:
    result = argparse.ArgumentParser(
        prog="cadre match-mentors",
        description=(
            "Match mentees to mentors: the most mentees matched, then the largest total score, exactly. "
            "Writes MATCHES.csv and prints matched=N unmatched=U total_score=S seconds=T."
        ),
    )
    add_arguments(result)
    return result


def add_arguments(parser) -> None:
    parser.add_argument("--mentees", required=True, metavar="MENTEES.csv", help="the mentee file")
    parser.add_argument("--mentors", required=True, metavar="MENTORS.csv", help="the mentor file")
    parser.add_argument("--out", required=True, metavar="MATCHES.csv", help="the matches file to write")


def main(argv: list[str] | None = None) -> int:
    started = process_started()
    args = parser().parse_args(argv)
    return match_files(
        mentees=args.mentees, mentors=args.mentors, out=args.out, started=started, stdout=sys.stdout, stderr=sys.stderr
    )


def exit_now(status: int) -> None:
    """Leave at once with `status`, once the output is flushed: the matches file is already
    written and renamed, and skipping the interpreter's tidying up after numba (half a second
    or more) keeps the command quick."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    exit_now(main())
