"""The two example frameworks Cadre ships (cadre/frameworks/examples/*.yaml).

These are plain data checks: each file follows docs/framework-format.md, hangs together (every
reference points at something that exists, every current attribute is described at every tier), and
is written in Cadre's own words, not copied from the source documents.
"""

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "cadre" / "frameworks" / "examples"
SEEDS = ROOT.parent / "shared" / "seeds"
SEED_PHRASES = Path(__file__).resolve().parent / "seed_phrases.txt"

FILES = ["officers.yaml", "political.yaml"]
KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ROLE_TYPES = {"officer", "elected_member", "partner_staff", "external_participant", "service_user_or_carer"}
CHANNEL_KINDS = {"narrative", "mechanisms", "professional_development"}
RUN = 8  # words in a row that may not be shared with a source document

# Spellings that would give away American English.
AMERICAN = re.compile(
    r"\b(organiz\w*|prioritiz\w*|recogniz\w*|realiz\w*|behavior\w*|color\w*|favor\w*|center\w*|"
    r"program|programs|analyz\w*|labor|defense)\b",
    re.IGNORECASE,
)


def load(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


def version(name: str) -> dict:
    return load(name)["versions"][0]


def words(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "").replace("'", "")
    return re.findall(r"[a-z0-9]+", text)


def runs(text: str, n: int = RUN) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def seed_texts() -> dict[str, str]:
    """The committed list of the seeds' attribute statements, always, plus every file in
    ../shared/seeds/ when that folder is there."""
    lines = [
        line
        for line in SEED_PHRASES.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    texts = {f"seed_phrases.txt line {i}": line for i, line in enumerate(lines, 1)}
    if SEEDS.is_dir():
        for path in sorted(SEEDS.iterdir()):
            if path.is_file():
                texts[path.name] = path.read_text(encoding="utf-8", errors="replace")
    return texts


def strings(node, where="") -> list[tuple[str, object]]:
    """Every scalar in the document with where it is, for the checks on empty text."""
    if isinstance(node, dict):
        return [item for key, value in node.items() for item in strings(value, f"{where}.{key}")]
    if isinstance(node, list):
        return [item for i, value in enumerate(node) for item in strings(value, f"{where}[{i}]")]
    return [(where, node)]


# --- format and structure ----------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_format_line_and_framework(name):
    doc = load(name)
    assert doc["format"] == "cadre-framework/1"
    framework = doc["framework"]
    assert KEY.match(framework["slug"])
    assert framework["slug"] == name.removesuffix(".yaml")
    assert set(framework["role_types"]) <= ROLE_TYPES
    assert framework["sharing"] in {"organisation", "network", "national"}
    assert len(framework["name"]) <= 200
    assert len(framework["audience"]) <= 200


@pytest.mark.parametrize("name", FILES)
def test_one_published_version(name):
    doc = load(name)
    assert len(doc["versions"]) == 1
    v = doc["versions"][0]
    assert v["number"] == 1
    assert v["status"] == "published"
    assert v["attribute_mappings"] == []  # the first version has nothing to map to


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("part", ["attributes", "tiers", "indicators", "values"])
def test_keys_are_well_formed_and_unique(name, part):
    keys = [item["key"] for item in version(name)[part]]
    assert keys, f"no {part}"
    bad = [key for key in keys if not KEY.match(key)]
    assert not bad, f"badly formed keys: {bad}"
    duplicates = [key for key, count in Counter(keys).items() if count > 1]
    assert not duplicates, f"duplicate keys: {duplicates}"
    assert all(len(key) <= (120 if part == "indicators" else 80) for key in keys)


@pytest.mark.parametrize("name", FILES)
def test_terms_and_ranks_are_unique(name):
    v = version(name)
    terms = [d["term"].lower() for d in v["definitions"]]
    assert len(terms) == len(set(terms))
    ranks = [t["rank"] for t in v["tiers"]]
    assert ranks == list(range(1, len(ranks) + 1))


@pytest.mark.parametrize("name", FILES)
def test_indicators_name_existing_attributes_and_tiers(name):
    v = version(name)
    attributes = {a["key"] for a in v["attributes"]}
    tiers = {t["key"] for t in v["tiers"]}
    for indicator in v["indicators"]:
        assert indicator["attribute"] in attributes, indicator["key"]
        assert indicator["tier"] in tiers, indicator["key"]
        assert indicator["kind"] in {"positive", "negative"}, indicator["key"]
        stem = f"{indicator['attribute']}-{indicator['tier']}-"
        suffix = r"\d+" if indicator["kind"] == "positive" else r"not-\d+"
        assert re.fullmatch(re.escape(stem) + suffix, indicator["key"]), indicator["key"]


@pytest.mark.parametrize("name", FILES)
def test_every_current_attribute_is_described_at_every_tier(name):
    v = version(name)
    cells = Counter((i["attribute"], i["tier"], i["kind"]) for i in v["indicators"])
    for attribute in v["attributes"]:
        if attribute["status"] != "current":
            continue
        for tier in v["tiers"]:
            cell = (attribute["key"], tier["key"])
            assert cells[(*cell, "positive")] >= 1, f"no positive indicator for {cell}"
            # What the examples promise: two of what it looks like, one of what it does not.
            assert cells[(*cell, "positive")] == 2, cell
            assert cells[(*cell, "negative")] == 1, cell


@pytest.mark.parametrize("name", FILES)
def test_values_name_existing_attributes(name):
    v = version(name)
    attributes = {a["key"] for a in v["attributes"]}
    for value in v["values"]:
        assert value["attributes"], value["key"]
        assert set(value["attributes"]) <= attributes, value["key"]
        assert len(value["attributes"]) == len(set(value["attributes"])), value["key"]


@pytest.mark.parametrize("name", FILES)
def test_channels_and_definitions(name):
    v = version(name)
    assert {c["kind"] for c in v["channels"]} == CHANNEL_KINDS
    for definition in v["definitions"]:
        assert definition["term"].strip() and definition["meaning"].strip()


@pytest.mark.parametrize("name", FILES)
def test_no_empty_text(name):
    for where, value in strings(load(name)):
        assert value is not None, f"{where} is empty"
        if isinstance(value, str):
            assert value.strip(), f"{where} is empty"
            assert value == value.strip(), f"{where} has stray spaces"


@pytest.mark.parametrize("name", FILES)
def test_writing_style(name):
    v = version(name)
    for attribute in v["attributes"]:
        assert attribute["statement"].startswith("I "), attribute["key"]
        assert attribute["diversity_and_inclusion"].strip(), attribute["key"]
        assert attribute["status"] in {"current", "in_development"}
        assert isinstance(attribute["focus"], bool)
        # Sentence case: only the first word of a name starts with a capital.
        assert attribute["name"][0].isupper()
        assert all(not w[0].isupper() for w in attribute["name"].split()[1:]), attribute["name"]
    for tier in v["tiers"]:
        assert tier["audience"].strip() and tier["description"].strip(), tier["key"]
        assert len(tier["name"]) <= 120 and len(tier["audience"]) <= 300
    for indicator in v["indicators"]:
        text = indicator["text"]
        assert text[0].isupper() and text.endswith("."), indicator["key"]
        # Starts with a verb in the present tense: "Explains ...", "Sets ...", "Keeps ...".
        assert re.match(r"^[A-Z][a-z-]+s\b", text), indicator["key"]
    american = AMERICAN.findall((EXAMPLES / name).read_text(encoding="utf-8"))
    assert not american, f"American spellings: {american}"


# --- what each example promises -----------------------------------------------------------------


def test_officers_framework_shape():
    doc = load("officers.yaml")
    assert doc["framework"]["role_types"] == ["officer"]
    v = doc["versions"][0]
    attributes = {a["key"]: a for a in v["attributes"]}
    assert len(attributes) == 8
    assert {k for k, a in attributes.items() if a["focus"]} == {"agile", "collaborative", "accountable"}
    assert {k for k, a in attributes.items() if a["status"] == "in_development"} == {"innovative", "commercial"}
    for attribute in attributes.values():
        sentences = re.findall(r"[.!?](?:\s|$)", attribute["statement"])
        assert 2 <= len(sentences) <= 3, attribute["key"]
    tiers = [(t["key"], t["rank"]) for t in v["tiers"]]
    assert tiers == [
        ("aspiring-manager", 1),
        ("core-manager", 2),
        ("developing-manager", 3),
        ("aspiring-leader", 4),
        ("senior-leader", 5),
    ]
    grades = [g for t in v["tiers"] for g in t["grades"]]
    assert all(t["grades"] for t in v["tiers"])
    assert len(grades) == len(set(grades)), "a grade may put a person in one tier only"
    # Attributes still in development are described from the developing manager tier upwards.
    rank = {t["key"]: t["rank"] for t in v["tiers"]}
    for attribute in ("innovative", "commercial"):
        ranks = {rank[i["tier"]] for i in v["indicators"] if i["attribute"] == attribute}
        assert ranks == {3, 4, 5}, attribute
    assert 4 <= len(v["values"]) <= 6
    assert 8 <= len(v["definitions"]) <= 10
    terms = {d["term"].lower() for d in v["definitions"]}
    assert {"framework", "tier", "attribute", "behaviour indicator", "programme", "coaching", "mentoring"} <= terms
    assert len(v["indicators"]) == 6 * 5 * 3 + 2 * 3 * 3


def test_political_framework_shape():
    doc = load("political.yaml")
    assert doc["framework"]["role_types"] == ["elected_member"]
    v = doc["versions"][0]
    assert 4 <= len(v["attributes"]) <= 5
    assert all(a["status"] == "current" for a in v["attributes"])
    assert [t["rank"] for t in v["tiers"]] == [1, 2, 3]
    assert all(not t.get("grades") for t in v["tiers"]), "elected members have no HR grades"
    assert len(v["indicators"]) == len(v["attributes"]) * 3 * 3
    assert len(v["values"]) >= 2 and len(v["definitions"]) >= 2


# --- written in Cadre's own words ---------------------------------------------------------------


def test_seed_phrases_list_is_there():
    texts = seed_texts()
    committed = [k for k in texts if k.startswith("seed_phrases.txt")]
    assert len(committed) >= 8
    assert all(len(words(texts[k])) >= RUN for k in committed)


@pytest.mark.parametrize("name", FILES)
def test_no_eight_word_run_from_the_sources(name):
    ours = runs((EXAMPLES / name).read_text(encoding="utf-8"))
    shared = {}
    for source, text in seed_texts().items():
        for run in ours & runs(text):
            shared.setdefault(" ".join(run), source)
    assert not shared, f"{name} repeats the wording of a source document: {shared}"


def test_the_copy_check_catches_copying():
    """The check above would notice a copied statement, even one reflowed and re-cased."""
    text = next(iter(seed_texts().values()))
    copied = yaml.safe_dump({"statement": text.upper()}, width=30)
    assert runs(copied) & runs(text)
