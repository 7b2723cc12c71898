"""The command line of group forming, shared by `python -m cadre.grouping` (no Django start-up)
and the management command behind `cadre form-groups`."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

DESCRIPTION = (
    "Form groups of about K people from INPUT.csv, as mixed as possible, keeping apart each person and "
    "their line manager and every declared conflict. Writes GROUPS.csv (person_id,group) and prints "
    "objective=X violations=V groups=G seconds=T; exits non-zero, writing nothing, when the files have "
    "problems or no grouping keeps every rule."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input_file", metavar="INPUT.csv", help="The cohort: person_id, optional manager_id, features.")
    parser.add_argument("--size", type=int, required=True, metavar="K", help="People in each group.")
    parser.add_argument("--out", required=True, metavar="GROUPS.csv", help="Where to write the groups.")
    parser.add_argument(
        "--seconds",
        type=float,
        metavar="S",
        help="Time for the search, turned into a fixed amount of work so runs repeat "
        "(default: 0.5 s per 1,000 people, between 0.25 and 5 s).",
    )
    parser.add_argument("--seed", type=int, default=0, metavar="N", help="Seed of the search (default 0).")
    parser.add_argument("--conflicts", metavar="PAIRS.csv", help="Declared conflicts: person_a,person_b rows.")


def execute(
    *,
    input_file: str,
    size: int,
    out: str,
    seconds: float | None,
    seed: int,
    conflicts: str | None,
    stdout: TextIO,
    stderr: TextIO,
    started: float | None = None,
) -> int:
    """Run, print the summary line (or the problems) and return the exit status."""
    from cadre.core.errors import ValidationError
    from cadre.grouping.csvio import FileProblems
    from cadre.grouping.services import run

    try:
        summary = run(
            input_path=input_file,
            size=size,
            out_path=out,
            seconds=seconds,
            seed=seed,
            conflicts_path=conflicts,
            started=started,
        )
    except FileProblems as error:
        for line in error.lines():
            stderr.write(f"error: {line}\n")
        return 1
    except ValidationError as error:
        for problem in error.problems:
            stderr.write(f"error: {problem}\n")
        return 1
    for note in summary.notes:
        stderr.write(f"note: {note}\n")
    stdout.write(summary.line() + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    from cadre.grouping.clock import process_started

    started = process_started()
    parser = argparse.ArgumentParser(prog="cadre form-groups", description=DESCRIPTION)
    add_arguments(parser)
    args = parser.parse_args(argv)
    return execute(**vars(args), stdout=sys.stdout, stderr=sys.stderr, started=started)


def main_and_exit(argv: list[str] | None = None) -> None:
    """`main`, then leave at once: the groups file is closed and the output flushed, and the
    interpreter's clean-up (a few tenths of a second with numba loaded) would only add to a
    time the summary line has already reported."""
    import os

    status = main(argv)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
