"""The people to group, what makes them different, and who must be kept apart: read from the
database, encoded as `cadre form-groups` encodes its file, and handed to the kernel.

Features, one person a row (`cadre.grouping.csvio.encode_column`, the encoding of the command):

- organisation, department and tier as text: one-hot, a 0/1 column for each value (no
  department or no tier is a value of its own);
- each framework attribute's latest self-assessment figure and latest released 360 figure
  (`cadre.diagnostics.profiles.person_scores`) as numbers: z-scored, a missing figure takes the
  column's mean; a column with fewer than two different values plays no part.

Pairs who must be kept apart (hard rules, never broken):

- a person and anyone above them in their line of management (their line manager, that
  manager's manager and so on up) who is also being grouped;
- a declared conflict (`Conflict`), both ways.

The search is the kernel's (`cadre.kernels.grouping.form_groups`); random groupings that keep
the same rules (`feasible_start`) give the baseline for "gain over random". No individual's
assessment figures leave this module: only distances between people and group summaries."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from cadre.core.errors import Problem
from cadre.diagnostics.profiles import person_scores
from cadre.frameworks.models import FrameworkVersion
from cadre.grouping.csvio import encode_column
from cadre.groups.models import Conflict
from cadre.kernels import grouping as kernel
from cadre.people.models import Person
from cadre.programmes.models import Application

PARTICIPATING = (Application.Status.ACCEPTED, Application.Status.COMPLETED)
RANDOM_GROUPINGS = 20
LINE_MANAGER = "line manager"
ABOVE = "above in the line of management"
CONFLICT = "declared conflict"
MAX_CHAIN = 100


@dataclass
class Population:
    people: list[Person]  # ordered by id
    applications: dict[int, int]  # person id -> application id
    features: np.ndarray
    feature_names: list[str]
    notes: list[str] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return [p.pk for p in self.people]


def participants(cohorts) -> list[Application]:
    """One application for each person taking part (accepted or completed) in any of the cohorts."""
    applications = (
        Application.objects.filter(cohort__in=cohorts, status__in=PARTICIPATING, person__status=Person.Status.ACTIVE)
        .select_related("person__organisation", "person__department", "person__tier", "cohort__programme")
        .order_by("person_id", "id")
    )
    chosen: dict[int, Application] = {}
    for application in applications:
        chosen.setdefault(application.person_id, application)
    return list(chosen.values())


def population(cohorts) -> Population:
    applications = participants(cohorts)
    people = [a.person for a in applications]
    frameworks = {a.cohort.programme.framework_id for a in applications if a.cohort.programme.framework_id}
    features, names, notes = encode(people, frameworks)
    return Population(
        people=people,
        applications={a.person_id: a.pk for a in applications},
        features=features,
        feature_names=names,
        notes=notes,
    )


def encode(people: list[Person], framework_ids) -> tuple[np.ndarray, list[str], list[str]]:
    columns: dict[str, list[str]] = {
        "organisation": [f"o{p.organisation_id}" for p in people],
        "department": [f"d{p.department_id}" if p.department_id else "" for p in people],
        "tier": [f"t{p.tier.key}" if p.tier_id else "" for p in people],
    }
    ids = [p.pk for p in people]
    position = {pk: n for n, pk in enumerate(ids)}
    versions = FrameworkVersion.objects.filter(
        framework_id__in=framework_ids, status=FrameworkVersion.Status.PUBLISHED
    ).order_by("framework_id", "-number")
    seen_frameworks = set()
    for version in versions:
        if version.framework_id in seen_frameworks:
            continue
        seen_frameworks.add(version.framework_id)
        for source in ("self", "360"):
            attributes, scores = person_scores(version, ids, source)
            for n, attribute in enumerate(attributes):
                column = columns.setdefault(f"{source}:{attribute.key}", [""] * len(people))
                for person_id, figures in scores.items():
                    value = figures[n]
                    if math.isfinite(value):
                        column[position[person_id]] = repr(float(value))
    blocks, names, notes = [], [], []
    for heading, values in columns.items():
        block, block_names, _dropped = encode_column(heading, values)
        if block is not None:
            blocks.append(block)
            names.extend(block_names)
    if not blocks:
        notes.append("Everyone is alike on every measure, so any grouping that keeps the rules is as good as another.")
    features = np.hstack(blocks) if blocks else np.zeros((len(people), 0))
    return np.ascontiguousarray(features, dtype=np.float64), names, notes


def chains_above(person_ids: list[int]) -> dict[int, list[int]]:
    """Each person's line managers, nearest first, up the whole line (cycles stopped)."""
    managers: dict[int, int | None] = {}
    wanted = set(person_ids)
    organisations = set(Person.objects.filter(pk__in=wanted).values_list("organisation_id", flat=True))
    managers.update(Person.objects.filter(organisation_id__in=organisations).values_list("id", "line_manager_id"))
    # A manager in another organisation (rare): fetch the rest of the line as it is met.
    for _ in range(MAX_CHAIN):
        missing = {m for m in managers.values() if m is not None and m not in managers}
        if not missing:
            break
        managers.update(Person.objects.filter(pk__in=missing).values_list("id", "line_manager_id"))
    chains = {}
    for person in person_ids:
        chain, seen, current = [], {person}, managers.get(person)
        while current is not None and current not in seen and len(chain) < MAX_CHAIN:
            chain.append(current)
            seen.add(current)
            current = managers.get(current)
        chains[person] = chain
    return chains


def forbidden_pairs(person_ids: list[int]) -> dict[tuple[int, int], set[str]]:
    """Pairs of person ids (smaller first) who must not share a group, with the reasons."""
    wanted = set(person_ids)
    reasons: dict[tuple[int, int], set[str]] = {}
    for person, chain in chains_above(person_ids).items():
        for depth, manager in enumerate(chain):
            if manager in wanted:
                reasons.setdefault((min(person, manager), max(person, manager)), set()).add(
                    LINE_MANAGER if depth == 0 else ABOVE
                )
    for a, b in Conflict.objects.filter(person_id__in=wanted, other_id__in=wanted).values_list("person_id", "other_id"):
        reasons.setdefault((min(a, b), max(a, b)), set()).add(CONFLICT)
    return reasons


def pair_array(reasons: dict[tuple[int, int], set[str]], ids: list[int]) -> np.ndarray:
    index = {pk: n for n, pk in enumerate(ids)}
    return np.array([(index[a], index[b]) for a, b in sorted(reasons)], dtype=np.int64).reshape(-1, 2)


def why_apart(a: Person, b: Person, reasons: set[str], chains: dict[int, list[int]] | None = None) -> str:
    """A sentence saying why two people are kept apart (never a conflict's private reason)."""
    parts = []
    if LINE_MANAGER in reasons or ABOVE in reasons:
        chains = chains or chains_above([a.pk, b.pk])
        senior, junior = (a, b) if a.pk in chains.get(b.pk, []) else (b, a)
        if chains.get(junior.pk, [None])[0] == senior.pk:
            parts.append(f"{senior.full_name} is {junior.full_name}'s line manager")
        else:
            parts.append(f"{senior.full_name} is above {junior.full_name} in their line of management")
    if CONFLICT in reasons:
        parts.append(f"a conflict has been declared between {a.full_name} and {b.full_name}")
    return " and ".join(parts) or f"{a.full_name} and {b.full_name} must be kept apart"


def mean_random_objective(distances: np.ndarray, *, people: int, size: int, pairs: np.ndarray, seed: int) -> float:
    total = 0.0
    for n in range(RANDOM_GROUPINGS):
        labels = kernel.feasible_start(people, size=size, pairs=pairs, seed=seed * 1_000 + n + 1)
        total += kernel.objective(distances, labels)
    return total / RANDOM_GROUPINGS


def infeasible_problems(
    error: kernel.Infeasible, people: list[Person], reasons: dict[tuple[int, int], set[str]], size: int
) -> list[Problem]:
    count = len(people)
    smallest = count // kernel.group_count(count, size)
    if error.people:
        degree: dict[int, int] = {}
        for a, b in reasons:
            degree[a] = degree.get(a, 0) + 1
            degree[b] = degree.get(b, 0) + 1
        return [
            Problem(
                f"{people[i].full_name} must be kept apart from {degree.get(people[i].pk, 0)} of the other "
                f"{count - 1} people, which leaves too few to fill a group of {smallest} around them. "
                f"Choose a smaller group size.",
                field="size",
            )
            for i in error.people
        ]
    problems = [
        Problem(
            f"No grouping was found that keeps every rule: {len(error.pairs)} pair(s) who must be kept apart "
            f"still shared a group. Smaller groups, or fewer declared conflicts, would help.",
            field="size",
        )
    ]
    for i, j in error.pairs:
        a, b = people[i], people[j]
        problems.append(
            Problem(f"{a.full_name} and {b.full_name}: {why_apart(a, b, reasons[(min(a.pk, b.pk), max(a.pk, b.pk))])}.")
        )
    return problems


def group_diversity(distances: np.ndarray, members: list[int]) -> float:
    """The mean distance between two members of a group (0 for a group of one)."""
    n = len(members)
    if n < 2:
        return 0.0
    return float(distances[np.ix_(members, members)].sum() / (n * (n - 1)))
