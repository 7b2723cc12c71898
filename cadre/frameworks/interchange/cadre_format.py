"""Cadre's own framework format (docs/framework-format.md): a framework with all its versions as
one YAML or JSON document. `export_framework` writes it; `check_document` lists every problem with
a document, naming where each is, and is what every import (CSV and CASE included) goes through
before anything is written."""

import json
import re

import yaml

from cadre.core.errors import Problem
from cadre.frameworks.models import (
    Attribute,
    AttributeMapping,
    BehaviourIndicator,
    Channel,
    Framework,
    FrameworkVersion,
)
from cadre.people.models import RoleType

FORMAT = "cadre-framework/1"

KEY = re.compile(r"[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?\Z")


# --- export ------------------------------------------------------------------------------------


def export_version(version: FrameworkVersion) -> dict:
    attributes = list(version.attributes.order_by("order", "id"))
    return {
        "number": version.number,
        "status": str(version.status),
        "previous": version.previous.number if version.previous_id else None,
        "change_note": version.change_note,
        "attributes": [
            {
                "key": a.key,
                "name": a.name,
                "statement": a.statement,
                "status": str(a.status),
                "focus": a.is_focus,
                "diversity_and_inclusion": a.diversity_and_inclusion,
            }
            for a in attributes
        ],
        "tiers": [
            {
                "key": t.key,
                "name": t.name,
                "rank": t.rank,
                "audience": t.audience,
                "description": t.description,
                "grades": sorted(m.grade for m in t.grade_mappings.all()),
            }
            for t in version.tiers.order_by("order", "rank", "id").prefetch_related("grade_mappings")
        ],
        "indicators": [
            {"key": i.key, "attribute": i.attribute.key, "tier": i.tier.key, "kind": str(i.kind), "text": i.text}
            for i in version.indicators.select_related("attribute", "tier").order_by(
                "attribute__order", "attribute__id", "tier__rank", "kind", "order", "id"
            )
        ],
        "values": [
            {
                "key": v.key,
                "name": v.name,
                "description": v.description,
                "attributes": [a.key for a in v.attributes.order_by("order", "id")],
            }
            for v in version.values.order_by("order", "id")
        ],
        "channels": [
            {"kind": str(c.kind), "name": c.name, "description": c.description}
            for c in version.channels.order_by("order", "id")
        ],
        "definitions": [{"term": d.term, "meaning": d.meaning} for d in version.definitions.order_by("order", "id")],
        "attribute_mappings": [
            {"attribute": m.attribute.key, "previous": m.previous_attribute.key, "relation": str(m.relation)}
            for m in AttributeMapping.objects.filter(version=version)
            .select_related("attribute", "previous_attribute")
            .order_by("attribute__order", "attribute__id", "previous_attribute__order", "previous_attribute__id")
        ],
    }


def export_framework(framework: Framework) -> dict:
    """The whole framework, every version oldest first, as docs/framework-format.md describes."""
    return {
        "format": FORMAT,
        "framework": {
            "slug": framework.slug,
            "name": framework.name,
            "audience": framework.audience,
            "description": framework.description,
            "role_types": list(framework.role_types or []),
            "sharing": str(framework.sharing),
        },
        "versions": [
            export_version(v) | _details_unlike(v, framework)
            for v in framework.versions.select_related("previous").order_by("number")
        ],
    }


def _details_unlike(version: FrameworkVersion, framework: Framework) -> dict:
    """A version's details, when they are not the framework's own (a draft that renames it, or a
    version published before a rename)."""
    details = version.details() | {"role_types": list(version.role_types or [])}
    own = {field: getattr(framework, field) for field in FrameworkVersion.DETAILS} | {
        "role_types": list(framework.role_types or [])
    }
    return {} if details == own else details


def dump(document: dict, *, as_json: bool = False) -> str:
    if as_json:
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


# --- checking ----------------------------------------------------------------------------------

CHOICES = {
    "sharing": [c for c, _ in Framework.Sharing.choices],
    "version status": [c for c, _ in FrameworkVersion.Status.choices],
    "attribute status": [c for c, _ in Attribute.Status.choices],
    "kind": [c for c, _ in BehaviourIndicator.Kind.choices],
    "channel kind": [c for c, _ in Channel.Kind.choices],
    "relation": [c for c, _ in AttributeMapping.Relation.choices],
    "role type": [c for c, _ in RoleType.choices],
}


class _Checker:
    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(message, field=where))

    def mapping(self, value, where: str) -> dict:
        if not isinstance(value, dict):
            self.add(where, "must be a mapping of names to values.")
            return {}
        return value

    def listing(self, value, where: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(where, "must be a list.")
            return []
        return value

    def text(self, data: dict, name: str, where: str, *, required=False, max_length=None, blank=True) -> str:
        if name not in data or data[name] is None:
            if required:
                self.add(f"{where}.{name}", "is missing. It is required.")
            return ""
        value = data[name]
        if not isinstance(value, str):
            self.add(f"{where}.{name}", f"must be text, not {_kind(value)}.")
            return ""
        if not blank and not value.strip():
            self.add(f"{where}.{name}", "is blank. It is required.")
        if max_length and len(value) > max_length:
            self.add(f"{where}.{name}", f"is {len(value)} characters long; the most it may be is {max_length}.")
        return value

    def key(self, data: dict, name: str, where: str, *, max_length=80) -> str:
        value = self.text(data, name, where, required=True, max_length=max_length)
        if value and not KEY.match(value):
            self.add(f"{where}.{name}", f"‘{value}’ is not a key: use lower-case letters, numbers and hyphens.")
        return value

    def choice(self, data: dict, name: str, where: str, choices: str, default: str) -> str:
        value = data.get(name, default)
        if value is None:
            value = default
        if value not in CHOICES[choices]:
            self.add(f"{where}.{name}", f"‘{value}’ is not a {choices}: use one of {', '.join(CHOICES[choices])}.")
        return value

    def boolean(self, data: dict, name: str, where: str) -> None:
        if name in data and not isinstance(data[name], bool):
            self.add(f"{where}.{name}", f"must be true or false, not {_kind(data[name])}.")

    def integer(self, data: dict, name: str, where: str, *, required=True, minimum=1) -> int | None:
        value = data.get(name)
        if value is None:
            if required:
                self.add(f"{where}.{name}", "is missing. It is required.")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(f"{where}.{name}", f"must be a whole number, not {_kind(value)}.")
            return None
        if value < minimum or value > 32767:
            self.add(f"{where}.{name}", f"must be a whole number from {minimum} to 32767.")
            return None
        return value

    def unique(self, seen: dict, value, where: str, what: str) -> None:
        if value in (None, ""):
            return
        if value in seen:
            self.add(where, f"{what} ‘{value}’ is used twice (first at {seen[value]}).")
        else:
            seen[value] = where


def _kind(value) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def check_document(document) -> list[Problem]:
    """Every problem with a document in Cadre's format, each naming where it is."""
    c = _Checker()
    doc = c.mapping(document, "the file")
    if not doc:
        return c.problems
    if doc.get("format") != FORMAT:
        c.add("format", f"must be {FORMAT} (found ‘{doc.get('format', '')}’).")
    framework = c.mapping(doc.get("framework"), "framework")
    if framework:
        c.key(framework, "slug", "framework")
        _check_details(c, framework, "framework", required=True)
        c.choice(framework, "sharing", "framework", "sharing", "organisation")
    if "versions" not in doc:
        c.add("versions", "is missing. A framework needs at least one version.")
        return c.problems
    versions = c.listing(doc.get("versions"), "versions")
    if not versions and isinstance(doc.get("versions"), list):
        c.add("versions", "is empty. A framework needs at least one version.")
    numbers: dict = {}
    attribute_keys: dict[int, set] = {}
    statuses: dict[str, list[int]] = {}
    previous_of: dict[int, object] = {}
    mappings_at: dict[int, list] = {}
    last_number = None
    for v_index, raw in enumerate(versions):
        where = f"versions[{v_index}]"
        version = c.mapping(raw, where)
        if not version:
            continue
        number = c.integer(version, "number", where)
        c.unique(numbers, number, f"{where}.number", "Version number")
        status = c.choice(version, "status", where, "version status", "draft")
        statuses.setdefault(status, []).append(number)
        c.text(version, "change_note", where)
        _check_details(c, version, where, required=False)
        if "previous" in version:
            previous = version["previous"]
            if previous is not None and (isinstance(previous, bool) or not isinstance(previous, int)):
                c.add(f"{where}.previous", f"must be a version number or null, not {_kind(previous)}.")
                previous = None
        else:
            previous = last_number  # the version before it in the list
        if number is not None:
            previous_of[number] = (previous, where)
            last_number = number
        keys = _check_version(c, version, where)
        if number is not None:
            attribute_keys[number] = keys
            mappings_at[number] = [(where, m) for m in c.listing(version.get("attribute_mappings"), "")]
    for status in ("draft", "published"):
        if len(statuses.get(status, [])) > 1:
            listed = ", ".join(str(n) for n in statuses[status])
            c.add("versions", f"A framework has one {status} version at most; versions {listed} are all {status}.")
    # previous versions: known, and no cycles
    for number, (previous, where) in previous_of.items():
        if previous is None:
            continue
        if previous == number:
            c.add(f"{where}.previous", f"Version {number} cannot follow itself.")
        elif previous not in previous_of:
            c.add(f"{where}.previous", f"names version {previous}, which is not in the file.")
    reported = set()
    for start in previous_of:
        chain, node = [], start
        while node is not None and node in previous_of and node not in chain:
            chain.append(node)
            node = previous_of[node][0]
        if node in chain:
            cycle = chain[chain.index(node) :]
            if len(cycle) > 1 and frozenset(cycle) not in reported:
                reported.add(frozenset(cycle))
                smallest = cycle.index(min(cycle))
                cycle = cycle[smallest:] + cycle[:smallest]
                c.add(
                    "versions",
                    "The versions' previous versions go round in a circle: "
                    + " → ".join(str(n) for n in [*cycle, cycle[0]])
                    + ".",
                )
    # attribute mappings name an attribute of the version and one of the version before it
    for number, mappings in mappings_at.items():
        previous = previous_of.get(number, (None, ""))[0]
        for m_index, (where, mapping) in enumerate(mappings):
            at = f"{where}.attribute_mappings[{m_index}]"
            if not isinstance(mapping, dict):
                continue
            attribute = mapping.get("attribute")
            if isinstance(attribute, str) and attribute and attribute not in attribute_keys.get(number, set()):
                c.add(f"{at}.attribute", f"names attribute ‘{attribute}’, which version {number} does not have.")
            earlier = mapping.get("previous")
            if not isinstance(earlier, str) or not earlier:
                continue
            if previous is None or previous not in attribute_keys:
                c.add(f"{at}.previous", f"Version {number} has no previous version to map ‘{earlier}’ to.")
            elif earlier not in attribute_keys[previous]:
                c.add(f"{at}.previous", f"names attribute ‘{earlier}’, which version {previous} does not have.")
    return c.problems


def _check_details(c: _Checker, data: dict, where: str, *, required: bool) -> None:
    """A framework's details: at its head, and in any version whose details differ from them."""
    if required or "name" in data:
        c.text(data, "name", where, required=True, max_length=200, blank=False)
    c.text(data, "audience", where, max_length=200)
    c.text(data, "description", where)
    for i, role in enumerate(c.listing(data.get("role_types"), f"{where}.role_types")):
        if role not in CHOICES["role type"]:
            c.add(
                f"{where}.role_types[{i}]",
                f"‘{role}’ is not a role type: use one of {', '.join(CHOICES['role type'])}.",
            )


def _check_version(c: _Checker, version: dict, where: str) -> set:
    attributes: dict = {}
    attribute_names: dict = {}
    version_grades: dict = {}
    needs_indicators: list[tuple[str, str]] = []  # (key, name) of current attributes
    for i, raw in enumerate(c.listing(version.get("attributes"), f"{where}.attributes")):
        at = f"{where}.attributes[{i}]"
        a = c.mapping(raw, at)
        if not a:
            continue
        key = c.key(a, "key", at)
        c.unique(attributes, key, f"{at}.key", "Attribute key")
        name = c.text(a, "name", at, required=True, max_length=200, blank=False)
        c.unique(attribute_names, name, at, "Name")
        statement = c.text(a, "statement", at)
        if c.choice(a, "status", at, "attribute status", "current") == "current":
            needs_indicators.append((key, name))
        if version.get("status") in {"published", "archived"} and not (statement or "").strip():
            c.add(f"{at}.statement", f"{name} has no statement, which a published version needs.")
        c.boolean(a, "focus", at)
        c.text(a, "diversity_and_inclusion", at)
    tiers: dict = {}
    tier_names: dict = {}
    ranks: dict = {}
    for i, raw in enumerate(c.listing(version.get("tiers"), f"{where}.tiers")):
        at = f"{where}.tiers[{i}]"
        t = c.mapping(raw, at)
        if not t:
            continue
        c.unique(tiers, c.key(t, "key", at), f"{at}.key", "Tier key")
        c.unique(tier_names, c.text(t, "name", at, required=True, max_length=120, blank=False), at, "Tier name")
        c.unique(ranks, c.integer(t, "rank", at), f"{at}.rank", "Rank")
        c.text(t, "audience", at, max_length=300)
        c.text(t, "description", at)
        for g_index, grade in enumerate(c.listing(t.get("grades"), f"{at}.grades")):
            if not isinstance(grade, str) or not grade.strip() or len(grade) > 60:
                c.add(f"{at}.grades[{g_index}]", "must be a grade of 1 to 60 characters.")
            else:
                # A grade puts a person in one tier: it may appear once in a version.
                c.unique(version_grades, grade, f"{at}.grades[{g_index}]", "Grade")
    indicators: dict = {}
    positive_cells: set = set()
    for i, raw in enumerate(c.listing(version.get("indicators"), f"{where}.indicators")):
        at = f"{where}.indicators[{i}]"
        ind = c.mapping(raw, at)
        if not ind:
            continue
        c.unique(indicators, c.key(ind, "key", at, max_length=120), f"{at}.key", "Indicator key")
        attribute = c.text(ind, "attribute", at, required=True)
        if attribute and attribute not in attributes:
            c.add(f"{at}.attribute", f"names attribute ‘{attribute}’, which this version does not have.")
        tier = c.text(ind, "tier", at, required=True)
        if tier and tier not in tiers:
            c.add(f"{at}.tier", f"names tier ‘{tier}’, which this version does not have.")
        if c.choice(ind, "kind", at, "kind", "positive") == "positive":
            positive_cells.add((attribute, tier))
        c.text(ind, "text", at, required=True, blank=False)
    values: dict = {}
    for i, raw in enumerate(c.listing(version.get("values"), f"{where}.values")):
        at = f"{where}.values[{i}]"
        v = c.mapping(raw, at)
        if not v:
            continue
        c.unique(values, c.key(v, "key", at), f"{at}.key", "Value key")
        c.text(v, "name", at, required=True, max_length=120, blank=False)
        c.text(v, "description", at)
        linked: dict = {}
        for a_index, key in enumerate(c.listing(v.get("attributes"), f"{at}.attributes")):
            if not isinstance(key, str):
                c.add(f"{at}.attributes[{a_index}]", "must be an attribute key.")
            elif key not in attributes:
                c.add(f"{at}.attributes[{a_index}]", f"names attribute ‘{key}’, which this version does not have.")
            else:
                c.unique(linked, key, f"{at}.attributes[{a_index}]", "Attribute")
    for i, raw in enumerate(c.listing(version.get("channels"), f"{where}.channels")):
        at = f"{where}.channels[{i}]"
        ch = c.mapping(raw, at)
        if not ch:
            continue
        if "kind" not in ch:
            c.add(f"{at}.kind", "is missing. It is required.")
        else:
            c.choice(ch, "kind", at, "channel kind", "")
        c.text(ch, "name", at, required=True, max_length=200, blank=False)
        c.text(ch, "description", at)
    terms: dict = {}
    for i, raw in enumerate(c.listing(version.get("definitions"), f"{where}.definitions")):
        at = f"{where}.definitions[{i}]"
        d = c.mapping(raw, at)
        if not d:
            continue
        c.unique(terms, c.text(d, "term", at, required=True, max_length=120, blank=False), f"{at}.term", "Term")
        c.text(d, "meaning", at, required=True, blank=False)
    pairs: dict = {}
    for i, raw in enumerate(c.listing(version.get("attribute_mappings"), f"{where}.attribute_mappings")):
        at = f"{where}.attribute_mappings[{i}]"
        m = c.mapping(raw, at)
        if not m:
            continue
        attribute = c.text(m, "attribute", at, required=True)
        previous = c.text(m, "previous", at, required=True)
        c.choice(m, "relation", at, "relation", "same")
        if attribute and previous:
            c.unique(pairs, f"{previous} → {attribute}", at, "Mapping")
    if version.get("status") in {"published", "archived"}:
        # As publishing in Cadre requires: every current attribute shows what it looks like at every tier.
        tier_names_by_key = {key: name for name, key in ((n, k) for k, n in _tier_names(version))}
        for key, name in needs_indicators:
            missing = [tier_names_by_key[t] for t in tier_names_by_key if (key, t) not in positive_cells]
            if missing:
                c.add(
                    f"{where}.indicators",
                    f"{name} has no indicator of what it looks like for: {', '.join(missing)}. "
                    "A published version needs one at every tier.",
                )
    return set(attributes)


def _tier_names(version: dict) -> list[tuple[str, str]]:
    tiers = version.get("tiers")
    if not isinstance(tiers, list):
        return []
    return [
        (t["key"], t.get("name") or t["key"]) for t in tiers if isinstance(t, dict) and isinstance(t.get("key"), str)
    ]
