"""Domain errors. Services raise these; views turn them into the GOV.UK error summary and
the API into RFC 9457 problem details. A user never sees a traceback."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    message: str
    field: str | None = None
    row: int | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"column {self.field}" if self.row is not None else self.field)
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ValidationError(Exception):
    """One or more problems with what was asked for. Nothing has been written."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


class PermissionDenied(Exception):
    """The actor may not do this. Views show it as 403 only where the object is already visible."""
