"""Mentor matching from files to file: `run` reads MENTEES.csv and MENTORS.csv, finds the exactly
optimal matching (cadre.kernels.matching) and writes MATCHES.csv. No Django.

MATCHES.csv has one row per mentee, in the mentee file's order: mentee_id, mentor_id, score,
reason. A matched mentee's reason is empty; an unmatched mentee has an empty mentor_id and score
and a reason that says why.
"""

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cadre.kernels.matching import match_mentors
from cadre.matching import csvio


@dataclass(frozen=True)
class Summary:
    matched: int
    unmatched: int
    total_score: int
    seconds: float

    def line(self) -> str:
        return (
            f"matched={self.matched} unmatched={self.unmatched} "
            f"total_score={self.total_score} seconds={self.seconds:.2f}"
        )


def unmatched_reason(
    *,
    level: int,
    mentors_above: int,
    excluded_same_person: int,
    excluded_manager: int,
    excluded_avoid: int,
    zero_capacity: int,
    feasible: int,
    tie: bool,
) -> str:
    """Why a mentee has no mentor, from the counts the matching kernel gives."""
    if mentors_above == 0:
        return f"no mentor above level {level}"
    if feasible == 0:
        parts = []
        if excluded_manager:
            parts.append("their line manager")
        if excluded_avoid:
            parts.append(f"{excluded_avoid} on their avoid list")
        if excluded_same_person:
            parts.append("themselves (the same person_id)")
        if zero_capacity:
            parts.append(f"{zero_capacity} with capacity 0")
        listed = ", ".join(parts)
        who = "the only mentor" if mentors_above == 1 else f"every one of the {mentors_above} mentors"
        if zero_capacity == 0:
            return f"{who} above level {level} is excluded: {listed}"
        return f"{who} above level {level} is excluded or takes no mentees: {listed}"
    mentors = "the only feasible mentor" if feasible == 1 else f"all {feasible} feasible mentors"
    if tie:
        return (
            f"the places with {mentors} are taken; matching this mentee instead would give "
            "the same total score, not a larger one (a tie)"
        )
    return f"the places with {mentors} are taken by matches that give more mentees matched or a larger total score"


def run(
    *, mentees_path: Path | str, mentors_path: Path | str, out_path: Path | str, started: float | None = None
) -> Summary:
    """Match the mentees in one file to the mentors in the other and write the matches file.

    Raises csvio.InputError (every problem in both files) before writing anything when the files
    cannot be matched as they are; OSError when the matches file cannot be written (nothing is
    left behind). `started` is a time.perf_counter() reading for the summary's seconds (default:
    now). Returns the Summary."""
    started = time.perf_counter() if started is None else started
    problems = []
    files = []
    for read, path in ((csvio.read_mentees, mentees_path), (csvio.read_mentors, mentors_path)):
        try:
            files.append(read(path))
        except csvio.InputError as error:
            problems.extend(error.problems)
    if problems:
        raise csvio.InputError(problems)
    mentees, mentors = files
    csvio.check_together(mentees, mentors)

    n, m, attributes = len(mentees.ids), len(mentors.ids), len(mentees.attributes)
    order = [mentors.attributes.index(attribute) for attribute in mentees.attributes]
    organisation_code: dict[str, int] = {}
    for name in (*mentees.organisations, *mentors.organisations):
        organisation_code.setdefault(name, len(organisation_code))
    mentor_index = {person_id: j for j, person_id in enumerate(mentors.ids)}
    manager = [mentor_index.get(manager_id, -1) if manager_id else -1 for manager_id in mentees.manager_ids]
    avoid = [(i, mentor_index[mentor_id]) for i, names in enumerate(mentees.avoid) for mentor_id in names]
    result = match_mentors(
        needs=np.array(mentees.scores, dtype=np.int64).reshape(n, attributes),
        strengths=np.array(mentors.scores, dtype=np.int64).reshape(m, attributes)[:, order],
        mentee_levels=np.array(mentees.levels, dtype=np.int64),
        mentor_levels=np.array(mentors.levels, dtype=np.int64),
        mentee_organisations=np.array([organisation_code[name] for name in mentees.organisations], dtype=np.int64),
        mentor_organisations=np.array([organisation_code[name] for name in mentors.organisations], dtype=np.int64),
        capacities=np.array(mentors.capacities, dtype=np.int64),
        manager=np.array(manager, dtype=np.int64),
        avoid=np.array(avoid, dtype=np.int64).reshape(-1, 2),
        same_person=np.array([mentor_index.get(person_id, -1) for person_id in mentees.ids], dtype=np.int64),
    )

    rows = []
    for i, mentee_id in enumerate(mentees.ids):
        j = int(result.mentor[i])
        if j >= 0:
            rows.append((mentee_id, mentors.ids[j], str(int(result.score[i])), ""))
            continue
        reason = unmatched_reason(
            level=mentees.levels[i],
            mentors_above=int(result.mentors_above[i]),
            excluded_same_person=int(result.excluded_same_person[i]),
            excluded_manager=int(result.excluded_manager[i]),
            excluded_avoid=int(result.excluded_avoid[i]),
            zero_capacity=int(result.zero_capacity[i]),
            feasible=int(result.feasible[i]),
            tie=bool(result.tie[i]),
        )
        rows.append((mentee_id, "", "", reason))
    csvio.write_matches(out_path, rows)
    return Summary(
        matched=result.matched,
        unmatched=n - result.matched,
        total_score=result.total_score,
        seconds=time.perf_counter() - started,
    )
