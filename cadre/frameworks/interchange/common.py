"""What every framework import shares: reading the file (size, encoding, YAML or JSON), and the
plan an import makes before anything is written."""

import json
from dataclasses import dataclass, field

import yaml

from cadre.core.errors import Problem, ValidationError

MAX_BYTES = 5 * 1024 * 1024  # the largest file an import reads: 5 MB

FORMATS = ("cadre", "csv", "case")


@dataclass(frozen=True)
class MappedItem:
    """How one item of a foreign file was read: what it became and why."""

    identifier: str
    text: str
    became: str
    why: str

    def __str__(self) -> str:
        return f"{self.identifier} ‘{self.text}’ → {self.became} ({self.why})"


@dataclass(frozen=True)
class SkippedItem:
    identifier: str
    text: str
    reason: str

    def __str__(self) -> str:
        return f"{self.identifier} ‘{self.text}’: {self.reason}"


@dataclass
class ImportPlan:
    """What an import would create, in Cadre's own format, and everything wrong with the file.
    Nothing is written until `services.framework_import` carries out a plan with no problems."""

    format: str
    document: dict | None = None
    problems: list[Problem] = field(default_factory=list)
    mapped: list[MappedItem] = field(default_factory=list)
    skipped: list[SkippedItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # An existing framework of the same name (or slug) that the file becomes the next draft of.
    into: object = None
    into_number: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.document is not None

    def _latest(self) -> dict:
        versions = (self.document or {}).get("versions") or []
        return versions[-1] if versions and isinstance(versions[-1], dict) else {}

    @property
    def attributes(self) -> int:
        return len(self._latest().get("attributes") or [])

    @property
    def tiers(self) -> int:
        return len(self._latest().get("tiers") or [])

    @property
    def indicators(self) -> int:
        return len(self._latest().get("indicators") or [])

    def summary_line(self) -> str:
        """Counts of the newest version in the file (the framework as people will see it)."""
        return (
            f"attributes={self.attributes} tiers={self.tiers} indicators={self.indicators} skipped={len(self.skipped)}"
        )


def short(text, limit: int = 60) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def check_size(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise ValidationError(
            Problem(
                f"The file is {len(data) / (1024 * 1024):.1f} MB. The largest framework file Cadre imports is 5 MB."
            )
        )
    if not data.strip():
        raise ValidationError(Problem("The file is empty."))


def decode(data: bytes) -> str:
    if b"\x00" in data:
        raise ValidationError(Problem("The file is not a text file: it holds NUL bytes."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            Problem(f"The file is not UTF-8 text (a byte that is not UTF-8 at position {error.start}).")
        ) from error


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without anchors and aliases, so a small file cannot expand into a huge one."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "found an alias (*name), which Cadre does not read", event.start_mark
            )
        return super().compose_node(parent, index)


def load_structured(data: bytes, *, want_json: bool = False):
    """The file's content as YAML or JSON (JSON is YAML too, but JSON is read as JSON for clearer
    messages). Raises ValidationError when it is neither."""
    check_size(data)
    text = decode(data)
    stripped = text.lstrip()
    if want_json or stripped.startswith(("{", "[")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise ValidationError(
                Problem(f"The file is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}.")
            ) from error
        except RecursionError as error:
            raise ValidationError(Problem("The file is not valid JSON: it is nested too deeply.")) from error
    try:
        return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ValidationError(
            Problem(f"The file is not valid YAML or JSON: {error.problem or error.context}{where}.")
        ) from error
    except (yaml.YAMLError, RecursionError) as error:
        raise ValidationError(Problem(f"The file is not valid YAML or JSON ({type(error).__name__}).")) from error


def detect_format(data: bytes, filename: str = "") -> str:
    """cadre, csv or case, from the file's name and its first bytes."""
    name = filename.lower()
    if name.endswith((".csv", ".tsv")):
        return "csv"
    if name.endswith((".yaml", ".yml")):
        return "cadre"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return "case" if b'"CFDocument"' in data[:65536] or b'"CFPackage' in data[:65536] else "cadre"
    first_line = head.split(b"\n", 1)[0].lower()
    if b"," in first_line and b"attribute_key" in first_line:
        return "csv"
    return "cadre"
