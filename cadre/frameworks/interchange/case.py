"""1EdTech CASE 1.0 JSON packages (CFPackage: CFDocument, CFItems, CFAssociations, CFDefinitions).

Export: one framework version. Attributes, tiers and behaviour indicators are CFItems marked with
Cadre's CFItemTypes; attributes and tiers are children (isChildOf) of the document, indicators
children of their attribute, and each indicator `hasSkillLevel` its tier.

Import: a package is checked against the vendored CASE 1.0 schema first; then its items are
mapped (a Cadre export back to the same attributes, tiers and indicators; another system's
hierarchy by the rules in docs/framework-interchange.md), each item's fate recorded for the
preview."""

import json
import uuid
from functools import cache
from pathlib import Path

from django.utils.text import slugify

from cadre.core.errors import Problem
from cadre.frameworks.interchange.cadre_format import FORMAT, KEY
from cadre.frameworks.interchange.common import MappedItem, SkippedItem, load_structured, short
from cadre.frameworks.interchange.csv_format import version_to_export
from cadre.frameworks.models import Framework, FrameworkVersion

SCHEMA_PATH = Path(__file__).parent / "schemas" / "case-v1p0-cfpackage-schema.json"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/cadre/frameworks/case")

# Cadre's item types: (typeCode, title, hierarchyCode)
ATTRIBUTE, TIER, INDICATOR, NEGATIVE = "attribute", "tier", "indicator", "negative-indicator"
ITEM_TYPES = {
    ATTRIBUTE: ("cadre-attribute", "Attribute", "1"),
    TIER: ("cadre-tier", "Tier", "2"),
    INDICATOR: ("cadre-indicator", "Behaviour indicator", "3"),
    NEGATIVE: ("cadre-negative-indicator", "Negative behaviour indicator", "3.1"),
}
# Item type titles other systems use, read case-insensitively.
TYPE_WORDS = {
    ATTRIBUTE: {"attribute", "competency", "competence", "capability", "domain", "cluster"},
    TIER: {"tier", "level", "proficiency level", "skill level", "development tier"},
    INDICATOR: {"behaviour indicator", "behavior indicator", "indicator", "positive indicator"},
    NEGATIVE: {"negative behaviour indicator", "negative behavior indicator", "negative indicator"},
}
TIER_LINKS = ("hasSkillLevel", "isRelatedTo")


def _id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def _link(identifier: str, title: str) -> dict:
    return {"title": title, "identifier": identifier, "uri": f"urn:uuid:{identifier}"}


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def export_case(framework: Framework, version: FrameworkVersion | None = None) -> dict:
    version = version or version_to_export(framework)
    scope = (framework.owner_organisation_id, framework.owner_network_id, framework.slug, version.number)
    changed = _when(version.published_at or version.created_at)
    doc_id = _id(*scope, "document")
    document = {
        "identifier": doc_id,
        "uri": f"urn:uuid:{doc_id}",
        "creator": framework.owner_organisation.name if framework.owner_organisation_id else "Cadre",
        "title": version.name or framework.name,
        "lastChangeDateTime": changed,
        "description": version.description,
        "language": "en",
        "version": str(version.number),
        "adoptionStatus": {"draft": "Draft", "published": "Adopted", "archived": "Deprecated"}[version.status],
    }
    doc_link = _link(doc_id, version.name or framework.name)
    types = {}
    for kind, (code, title, hierarchy) in ITEM_TYPES.items():
        identifier = _id("item-type", code)
        types[kind] = {
            "identifier": identifier,
            "uri": f"urn:uuid:{identifier}",
            "title": title,
            "description": f"A {title.lower()} of a Cadre leadership framework.",
            "hierarchyCode": hierarchy,
            "typeCode": code,
            "lastChangeDateTime": "2025-01-01T00:00:00+00:00",
        }
    items, associations = [], []

    def item(kind, identifier, *, full, abbreviated, code, extra=None):
        entry = {
            "identifier": identifier,
            "uri": f"urn:uuid:{identifier}",
            "fullStatement": full,
            "abbreviatedStatement": abbreviated,
            "humanCodingScheme": code,
            "CFItemType": types[kind]["title"],
            "CFItemTypeURI": _link(types[kind]["identifier"], types[kind]["title"]),
            "CFDocumentURI": doc_link,
            "language": "en",
            "lastChangeDateTime": changed,
            **(extra or {}),
        }
        items.append(entry)
        return entry

    def associate(kind, origin, destination, sequence=None):
        identifier = _id(*scope, "association", origin["identifier"], kind, destination["identifier"])
        entry = {
            "identifier": identifier,
            "uri": f"urn:uuid:{identifier}",
            "associationType": kind,
            "originNodeURI": origin,
            "destinationNodeURI": destination,
            "CFDocumentURI": doc_link,
            "lastChangeDateTime": changed,
        }
        if sequence is not None:
            entry["sequenceNumber"] = sequence
        associations.append(entry)

    attribute_links = {}
    for n, a in enumerate(version.attributes.order_by("order", "id"), start=1):
        identifier = _id(*scope, "attribute", a.key)
        item(ATTRIBUTE, identifier, full=a.statement, abbreviated=a.name, code=a.key)
        attribute_links[a.pk] = _link(identifier, short(a.name, 200))
        associate("isChildOf", attribute_links[a.pk], doc_link, n)
    tier_links = {}
    for t in version.tiers.order_by("rank"):
        identifier = _id(*scope, "tier", t.key)
        item(TIER, identifier, full=t.name, abbreviated=t.name, code=t.key, extra={"listEnumeration": str(t.rank)})
        if t.description:
            items[-1]["notes"] = t.description
        tier_links[t.pk] = _link(identifier, t.name)
        associate("isChildOf", tier_links[t.pk], doc_link, t.rank)
    sequence: dict = {}
    for i in version.indicators.order_by("attribute__order", "attribute__id", "tier__rank", "kind", "order", "id"):
        identifier = _id(*scope, "indicator", i.key)
        kind = NEGATIVE if i.kind == "negative" else INDICATOR
        item(kind, identifier, full=i.text, abbreviated=short(i.text, 60), code=i.key)
        link = _link(identifier, short(i.text, 60))
        sequence[i.attribute_id] = sequence.get(i.attribute_id, 0) + 1
        associate("isChildOf", link, attribute_links[i.attribute_id], sequence[i.attribute_id])
        associate("hasSkillLevel", link, tier_links[i.tier_id])
    return {
        "CFDocument": document,
        "CFItems": items,
        "CFAssociations": associations,
        "CFDefinitions": {"CFItemTypes": list(types.values())},
    }


# --- import ------------------------------------------------------------------------------------


@cache
def _validator():
    import jsonschema_rs

    return jsonschema_rs.Draft4Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def _path(parts) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the package"


_KINDS = {"string": "text", "array": "a list", "object": "a set of named fields", "number": "a number"}
_KINDS |= {"integer": "a whole number", "boolean": "true or false", "null": "empty (null)"}
_FORMATS = {
    "date-time": "a date and time such as 2026-11-23T09:30:00+00:00",
    "date": "a date such as 2026-11-23",
    "uri": "a web address such as https://example.org/case/1",
}


def _shown(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _plain(error) -> str:
    """A schema error in plain words: what is wrong with the value and what CASE 1.0 asks for."""
    kind = error.kind
    name = type(kind).__name__
    if name == "Required":
        return f"‘{kind.property}’ is missing. A CASE 1.0 package must have it here."
    if name == "Type":
        wanted = " or ".join(_KINDS.get(t, t) for t in kind.types)
        return f"is {_shown(error.instance)}, but CASE 1.0 asks for {wanted} here."
    if name == "Pattern":
        return (
            f"{_shown(error.instance)} is not an identifier of the form CASE 1.0 uses (a UUID such as "
            "3f2504e0-4f89-41d3-9a0c-0305e82c3301)."
        )
    if name == "Format":
        wanted = _FORMATS.get(kind.format, f"a {kind.format}")
        return f"{_shown(error.instance)} is not {wanted}."
    if name == "Enum":
        return f"{_shown(error.instance)} is not one of the values CASE 1.0 allows here."
    if name == "AdditionalProperties":
        return f"has fields CASE 1.0 does not define: {', '.join(kind.unexpected)}."
    if name == "MinItems":
        return f"must list at least {kind.limit}."
    if name == "MinLength":
        return "is blank. CASE 1.0 asks for text here."
    return f"does not follow the CASE 1.0 package rules ({error.message})."


def schema_problems(package) -> list[Problem]:
    problems = []
    for error in _validator().iter_errors(package):
        problems.append(Problem(_plain(error), field=_path(error.instance_path)))
        if len(problems) >= 100:
            problems.append(Problem("There are more problems than these 100; correct these first."))
            break
    return problems


def _type_of(item: dict, types_by_id: dict) -> str | None:
    """Cadre's name for the item's type, from its CFItemTypeURI (typeCode or title) or CFItemType."""
    candidates = []
    link = item.get("CFItemTypeURI")
    if isinstance(link, dict):
        definition = types_by_id.get(link.get("identifier"))
        if definition:
            candidates += [definition.get("typeCode"), definition.get("title")]
        candidates.append(link.get("title"))
    candidates.append(item.get("CFItemType"))
    for candidate in candidates:
        if not isinstance(candidate, str):
            continue
        word = candidate.strip().lower()
        for kind, (code, title, _h) in ITEM_TYPES.items():
            if word in (code, title.lower()):
                return kind
        for kind, words in TYPE_WORDS.items():
            if word in words:
                return kind
    return None


class _Keys:
    def __init__(self):
        self.used: set = set()

    def make(self, preferred: str, fallback: str, limit: int = 80) -> str:
        base = preferred if preferred and KEY.match(preferred) and len(preferred) <= limit else ""
        base = base or slugify(fallback)[: limit - 4].strip("-_") or "item"
        key, n = base, 2
        while key in self.used:
            key, n = f"{base[: limit - 4]}-{n}", n + 1
        self.used.add(key)
        return key


def _unique_name(name: str, used: set, limit: int) -> str:
    name = short(name, limit) or "Untitled"
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{short(name, limit - 5)} ({n})", n + 1
    used.add(candidate)
    return candidate


def read_case(data: bytes):
    """The package as a document in Cadre's format (one draft version), with how each item was
    mapped and which were skipped; or the problems that stop it being read."""
    package = load_structured(data, want_json=True)
    problems = schema_problems(package)
    if problems:
        return None, [], [], problems
    items = package.get("CFItems") or []
    associations = package.get("CFAssociations") or []
    definitions = package.get("CFDefinitions") or {}
    document = package["CFDocument"]
    doc_id = document["identifier"]
    types_by_id = {t["identifier"]: t for t in definitions.get("CFItemTypes") or []}
    by_id: dict = {}
    for index, entry in enumerate(items):
        if entry["identifier"] in by_id:
            problems.append(
                Problem(
                    f"The item identifier {entry['identifier']} is used twice.", field=f"CFItems[{index}].identifier"
                )
            )
        by_id.setdefault(entry["identifier"], entry)
    position = {identifier: n for n, identifier in enumerate(by_id)}
    parents: dict[str, list] = {}
    tier_links: dict[str, list] = {}
    for index, assoc in enumerate(associations):
        origin = assoc["originNodeURI"]["identifier"]
        destination = assoc["destinationNodeURI"]["identifier"]
        kind = assoc["associationType"]
        if kind == "isChildOf":
            if origin not in by_id:
                problems.append(
                    Problem(
                        f"isChildOf names the item {origin}, which is not in the package.",
                        field=f"CFAssociations[{index}].originNodeURI",
                    )
                )
                continue
            if destination != doc_id and destination not in by_id:
                problems.append(
                    Problem(
                        f"isChildOf names the parent {destination}, which is neither the document "
                        "nor an item of the package.",
                        field=f"CFAssociations[{index}].destinationNodeURI",
                    )
                )
                continue
            parents.setdefault(origin, []).append((assoc.get("sequenceNumber") or 0, index, destination))
        elif kind in TIER_LINKS and origin in by_id and destination in by_id:
            tier_links.setdefault(origin, []).append((TIER_LINKS.index(kind), index, destination, kind))
    parent = {}
    sequence = {}
    for origin, options in parents.items():
        options.sort()
        item_parents = [d for _s, _i, d in options if d != doc_id]
        parent[origin] = item_parents[0] if item_parents else None
        sequence[origin] = options[0][0]
    # cycles in the hierarchy
    reported = set()
    for start in by_id:
        chain, node = [], start
        while node is not None and node not in chain:
            chain.append(node)
            node = parent.get(node)
        if node is not None:
            cycle = chain[chain.index(node) :]
            if frozenset(cycle) not in reported:
                reported.add(frozenset(cycle))
                names = " → ".join(f"{i} ‘{short(by_id[i]['fullStatement'], 30)}’" for i in [*cycle, cycle[0]])
                problems.append(
                    Problem(f"The items' isChildOf links go round in a circle: {names}.", field="CFAssociations")
                )
    if problems:
        return None, [], [], problems

    children: dict = {}
    for identifier in by_id:
        children.setdefault(parent.get(identifier), []).append(identifier)
    for siblings in children.values():
        siblings.sort(key=lambda i: (sequence.get(i, 0), position[i]))
    kinds = {identifier: _type_of(entry, types_by_id) for identifier, entry in by_id.items()}
    mapped: list[MappedItem] = []
    skipped: list[SkippedItem] = []
    attributes, tiers, indicators = [], [], []
    attribute_of: dict = {}  # item id -> attribute key
    tier_key_of: dict = {}
    attribute_keys, tier_keys, indicator_keys = _Keys(), _Keys(), _Keys()
    attribute_names: set = set()
    tier_names: set = set()
    pending_indicators = []

    def text_of(entry):
        return entry.get("fullStatement") or ""

    def add_attribute(identifier, why):
        entry = by_id[identifier]
        name = entry.get("abbreviatedStatement") or entry.get("alternativeLabel") or text_of(entry)
        key = attribute_keys.make(entry.get("humanCodingScheme", ""), name or identifier)
        name = _unique_name(name, attribute_names, 200)
        attributes.append({"key": key, "name": name, "statement": text_of(entry)})
        attribute_of[identifier] = key
        mapped.append(MappedItem(identifier, short(text_of(entry) or name), f"attribute ‘{name}’", why))
        return key

    def add_tier(identifier, why):
        entry = by_id[identifier]
        name = entry.get("abbreviatedStatement") or text_of(entry)
        key = tier_keys.make(entry.get("humanCodingScheme", ""), name or identifier)
        name = _unique_name(name, tier_names, 120)
        rank_text = entry.get("listEnumeration", "")
        rank_text = rank_text if isinstance(rank_text, str) else ""
        plain = rank_text.isascii() and rank_text.isdigit() and len(rank_text) <= 5
        rank = int(rank_text) if plain and 1 <= int(rank_text) <= 32767 else None
        tier = {"key": key, "name": name, "rank": rank, "description": entry.get("notes", "")}
        if kinds[identifier] != TIER and text_of(entry) != name:
            tier["description"] = text_of(entry)
        tiers.append(tier)
        tier_key_of[identifier] = key
        mapped.append(MappedItem(identifier, short(text_of(entry) or name), f"tier ‘{name}’", why))

    def walk(identifier, attribute, depth):
        entry = by_id[identifier]
        kind = kinds[identifier]
        label = short(text_of(entry))
        if kind == TIER:
            if attribute is None:
                add_tier(identifier, "its item type is a tier")
            else:
                skipped.append(SkippedItem(identifier, label, "it is typed as a tier but sits under an attribute"))
            for child in children.get(identifier, []):
                skipped.append(
                    SkippedItem(child, short(text_of(by_id[child])), "it sits under a tier, and tiers hold no items")
                )
            return
        if kind == ATTRIBUTE or (attribute is None and kind not in (INDICATOR, NEGATIVE)):
            why = "its item type is an attribute" if kind == ATTRIBUTE else "it is a top-level item"
            if attribute is not None:
                why += f" (nested under ‘{attribute}’)"
            key = add_attribute(identifier, why)
            for child in children.get(identifier, []):
                walk(child, key, 1)
            return
        if attribute is None:
            skipped.append(SkippedItem(identifier, label, "it is an indicator with no attribute above it"))
            for child in children.get(identifier, []):
                walk(child, None, 0)
            return
        if not text_of(entry).strip():
            skipped.append(SkippedItem(identifier, label or "(blank)", "it has no text"))
        else:
            pending_indicators.append((identifier, attribute, depth, kind))
        for child in children.get(identifier, []):
            walk(child, attribute, depth + 1)

    for root in children.get(None, []):
        walk(root, None, 0)

    single_tier = None
    if not tiers:
        title = document.get("title") or "All"
        single_tier = {"key": slugify(title)[:76].strip("-_") or "all", "name": short(title, 120), "rank": 1}
        tiers.append(single_tier)
    # ranks: as given where they are whole and distinct, otherwise in the order the tiers come
    ranks = [t["rank"] for t in tiers]
    if None in ranks or len(set(ranks)) != len(ranks):
        for n, t in enumerate(tiers, start=1):
            t["rank"] = n
    for identifier, attribute, depth, kind in pending_indicators:
        entry = by_id[identifier]
        links = sorted(tier_links.get(identifier, []))
        tier_key, via = None, ""
        for _p, _i, destination, link_kind in links:
            if destination in tier_key_of:
                tier_key, via = tier_key_of[destination], link_kind
                break
        label = short(text_of(entry))
        if tier_key is None and single_tier is not None:
            tier_key = single_tier["key"]
            via = "the package has no tiers, so every indicator goes to one tier named for the document"
        elif tier_key is None:
            skipped.append(SkippedItem(identifier, label, "it is linked (hasSkillLevel or isRelatedTo) to no tier"))
            continue
        else:
            via = f"{via} links it to tier ‘{tier_key}’"
        key = indicator_keys.make(entry.get("humanCodingScheme", ""), f"{attribute}-{text_of(entry)[:40]}", 120)
        indicators.append(
            {
                "key": key,
                "attribute": attribute,
                "tier": tier_key,
                "kind": "negative" if kind == NEGATIVE else "positive",
                "text": text_of(entry),
            }
        )
        place = "under" if depth == 1 else f"{depth} levels under"
        mapped.append(
            MappedItem(
                identifier,
                label,
                f"{'negative ' if kind == NEGATIVE else ''}indicator of ‘{attribute}’ at ‘{tier_key}’",
                f"it sits {place} attribute ‘{attribute}’; {via}",
            )
        )
    name = short(document.get("title") or "Imported framework", 200)
    result = {
        "format": FORMAT,
        "framework": {
            "slug": slugify(name)[:80] or "framework",
            "name": name,
            "description": document.get("description", ""),
            "sharing": "organisation",
        },
        "versions": [
            {"number": 1, "status": "draft", "attributes": attributes, "tiers": tiers, "indicators": indicators}
        ],
    }
    return result, mapped, skipped, []
