"""A framework version as a flat CSV for spreadsheets: one row per behaviour indicator. Importing
a CSV makes a framework with a single draft version. See docs/framework-interchange.md for what a
CSV cannot carry."""

import csv
import io
import re

from django.utils.text import slugify

from cadre.core.errors import Problem, ValidationError
from cadre.frameworks.interchange.cadre_format import CHOICES, FORMAT, KEY
from cadre.frameworks.interchange.common import check_size
from cadre.frameworks.models import Framework, FrameworkVersion
from cadre.people.hr_import import decode_text

COLUMNS = [
    "framework",
    "version",
    "attribute_key",
    "attribute_name",
    "attribute_statement",
    "tier_key",
    "tier_name",
    "tier_rank",
    "kind",
    "indicator_key",
    "text",
]
REQUIRED = ["framework", "attribute_key", "attribute_name", "tier_key", "tier_name", "tier_rank", "text"]


def version_to_export(framework: Framework) -> FrameworkVersion | None:
    """The published version, else the draft, else the newest."""
    versions = list(framework.versions.order_by("-number"))
    for status in (FrameworkVersion.Status.PUBLISHED, FrameworkVersion.Status.DRAFT):
        for version in versions:
            if version.status == status:
                return version
    return versions[0] if versions else None


def export_csv(framework: Framework, version: FrameworkVersion | None = None) -> str:
    version = version or version_to_export(framework)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    if version is None:
        return out.getvalue()
    for i in version.indicators.select_related("attribute", "tier").order_by(
        "attribute__order", "attribute__id", "tier__rank", "kind", "order", "id"
    ):
        writer.writerow(
            [
                version.name or framework.name,
                version.number,
                i.attribute.key,
                i.attribute.name,
                i.attribute.statement,
                i.tier.key,
                i.tier.name,
                i.tier.rank,
                str(i.kind),
                i.key,
                i.text,
            ]
        )
    return out.getvalue()


def _heading(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def read_csv(data: bytes) -> tuple[dict | None, list[Problem]]:
    """The CSV as a document in Cadre's format (one draft version), or the problems with it, each
    naming its row and column."""
    check_size(data)
    text = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as error:
        raise ValidationError(Problem(f"The CSV file is malformed near line {reader.line_num}: {error}.")) from error
    if not rows:
        raise ValidationError(Problem("The file is empty."))
    headings = [_heading(h) for h in rows[0]]
    problems: list[Problem] = []
    missing = [c for c in REQUIRED if c not in headings]
    if missing:
        raise ValidationError(
            Problem(
                f"The file has no {', '.join(missing)} column. The columns are: {', '.join(COLUMNS)} "
                "(version, attribute_statement, kind and indicator_key may be left out)."
            )
        )
    seen_headings: dict = {}
    for index, h in enumerate(headings):
        if h in COLUMNS and h in seen_headings:
            problems.append(Problem(f"The column {h} appears twice (columns {seen_headings[h] + 1} and {index + 1})."))
        seen_headings.setdefault(h, index)
    column = {h: headings.index(h) for h in COLUMNS if h in headings}
    frameworks: dict[str, int] = {}
    attributes: dict[str, dict] = {}
    attribute_rows: dict[str, int] = {}
    tiers: dict[str, dict] = {}
    tier_rows: dict[str, int] = {}
    indicators: list[dict] = []
    indicator_rows: dict[str, int] = {}
    body = [(number, cells) for number, cells in enumerate(rows[1:], start=2) if any(c.strip() for c in cells)]
    if not body:
        problems.append(Problem("The file has a heading row but no indicator rows."))
    for number, cells in body:

        def cell(name, cells=cells):
            index = column.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        for name in REQUIRED:
            if not cell(name):
                problems.append(Problem("is blank. It is required.", row=number, field=name))
        frameworks.setdefault(cell("framework"), number)
        a_key, t_key = cell("attribute_key"), cell("tier_key")
        for name, value in (("attribute_key", a_key), ("tier_key", t_key)):
            if value and not KEY.match(value):
                problems.append(
                    Problem(
                        f"‘{value}’ is not a key: use lower-case letters, numbers and hyphens.", row=number, field=name
                    )
                )
        rank_text = cell("tier_rank")
        rank = int(rank_text) if re.fullmatch(r"[0-9]{1,4}", rank_text) and int(rank_text) >= 1 else None
        if rank_text and rank is None:
            problems.append(
                Problem(f"‘{rank_text}’ is not a rank: use a whole number from 1.", row=number, field="tier_rank")
            )
        attribute = {"key": a_key, "name": cell("attribute_name"), "statement": cell("attribute_statement")}
        if a_key:
            if a_key in attributes and attributes[a_key] != attribute:
                problems.append(
                    Problem(
                        f"Attribute ‘{a_key}’ has a different name or statement here "
                        f"than in row {attribute_rows[a_key]}.",
                        row=number,
                        field="attribute_name",
                    )
                )
            attributes.setdefault(a_key, attribute)
            attribute_rows.setdefault(a_key, number)
        tier = {"key": t_key, "name": cell("tier_name"), "rank": rank}
        if t_key:
            if t_key in tiers and tiers[t_key] != tier:
                problems.append(
                    Problem(
                        f"Tier ‘{t_key}’ has a different name or rank here than in row {tier_rows[t_key]}.",
                        row=number,
                        field="tier_name",
                    )
                )
            tiers.setdefault(t_key, tier)
            tier_rows.setdefault(t_key, number)
        kind = cell("kind") or "positive"
        if kind not in CHOICES["kind"]:
            problems.append(Problem(f"‘{kind}’ is not a kind: use positive or negative.", row=number, field="kind"))
        key = cell("indicator_key")
        if key and not KEY.match(key):
            problems.append(
                Problem(
                    f"‘{key}’ is not a key: use lower-case letters, numbers and hyphens.",
                    row=number,
                    field="indicator_key",
                )
            )
        if key and key in indicator_rows:
            problems.append(
                Problem(
                    f"Indicator key ‘{key}’ is also used in row {indicator_rows[key]}.",
                    row=number,
                    field="indicator_key",
                )
            )
        if key:
            indicator_rows.setdefault(key, number)
        indicators.append(
            {"key": key, "attribute": a_key, "tier": t_key, "kind": kind, "text": cell("text"), "row": number}
        )
    names = [n for n in frameworks if n]
    if len(names) > 1:
        problems.append(
            Problem(
                f"The file holds more than one framework ({', '.join(names[:5])}). Import one framework per file.",
                field="framework",
            )
        )
    _unique_across(problems, attributes, attribute_rows, "name", "attribute_name", "Attribute name")
    _unique_across(problems, tiers, tier_rows, "name", "tier_name", "Tier name")
    _unique_across(problems, tiers, tier_rows, "rank", "tier_rank", "Tier rank")
    if problems:
        return None, problems
    used = set(indicator_rows)
    for indicator in indicators:
        if not indicator["key"]:
            base = f"{indicator['attribute']}-{indicator['tier']}"[:110]
            n = 1
            while f"{base}-{n}" in used:
                n += 1
            indicator["key"] = f"{base}-{n}"
            used.add(indicator["key"])
        del indicator["row"]
    name = names[0]
    document = {
        "format": FORMAT,
        "framework": {"slug": slugify(name)[:80] or "framework", "name": name, "sharing": "organisation"},
        "versions": [
            {
                "number": 1,
                "status": "draft",
                "attributes": list(attributes.values()),
                "tiers": list(tiers.values()),
                "indicators": indicators,
            }
        ],
    }
    return document, []


def _unique_across(problems, entries: dict, rows: dict, field: str, column: str, what: str) -> None:
    seen: dict = {}
    for key, entry in entries.items():
        value = entry[field]
        if value in (None, ""):
            continue
        if value in seen:
            problems.append(
                Problem(
                    f"{what} ‘{value}’ is given to both ‘{seen[value]}’ (row {rows[seen[value]]}) and ‘{key}’.",
                    row=rows[key],
                    field=column,
                )
            )
        else:
            seen[value] = key
