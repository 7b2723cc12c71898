"""A mentee's development needs, prefilled from their latest diagnostics.

Per attribute, the figure from their latest finished self-assessment or latest released 360
(whichever is more recent, on the 1 to 5 scale; `cadre.diagnostics.profiles.person_scores`)
becomes a need of `clamp(round(5 - score), 0, 4)`: a low score is a large need. Attributes with
no figure start at 0, and the person can change every need."""

import math
from dataclasses import dataclass

from cadre.diagnostics.profiles import _latest, person_scores
from cadre.frameworks.models import Attribute, FrameworkVersion
from cadre.mentoring.models import LEVEL_MAX

SOURCE_LABELS = {"self": "your self-assessment", "360": "your 360 feedback"}


@dataclass
class PrefilledNeed:
    attribute: Attribute
    need: int
    score: float | None  # the diagnostic figure it came from, 1 to 5
    source: str  # in words: where the need came from, or that nothing did


def need_from_score(score: float) -> int:
    """The need for a score on the 1 to 5 scale: 5 - score, rounded, kept within 0 to 4."""
    return int(min(LEVEL_MAX, max(0, round(5 - score))))


def prefilled_needs(version: FrameworkVersion, person_id: int) -> list[PrefilledNeed]:
    """Each attribute of the version with the need its latest diagnostic gives, and where from."""
    figures: dict[str, list[tuple]] = {}
    attributes: list[Attribute] = []
    for source in ("self", "360"):
        attributes, scores = person_scores(version, [person_id], source)
        if person_id not in scores:
            continue
        subject = _latest(version, [person_id], source)[0]
        when = subject.campaign.created_at
        for attribute, value in zip(attributes, scores[person_id], strict=True):
            if math.isfinite(value):
                label = f"{SOURCE_LABELS[source]} in {subject.campaign.name} (scored {value:.1f} out of 5)"
                figures.setdefault(attribute.key, []).append((when, float(value), label))
    if not attributes:
        attributes = list(version.attributes.order_by("order", "id"))
    rows = []
    for attribute in attributes:
        found = sorted(figures.get(attribute.key, []), key=lambda f: f[0])
        if found:
            _when, value, label = found[-1]
            rows.append(PrefilledNeed(attribute, need_from_score(value), value, f"From {label}"))
        else:
            rows.append(PrefilledNeed(attribute, 0, None, "No assessment yet: set it yourself"))
    return rows
