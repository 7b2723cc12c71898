"""Small-number suppression for tables of figures about people: team profiles (threshold 3) and the
organisation capability heatmap (threshold 5).

A table has rows and columns of cells; each cell holds how many people it counts (and a sum of their
scores, which is shown or hidden with the count). It may show a total for each row, each column and
the whole table, each total being the sum of its cells. `suppress_table` decides what must not be
shown so that no hidden cell can be worked out from what is shown:

1. Primary suppression: a cell, or a shown total, counting 1 to k-1 people is hidden. Empty cells
   (0 people) are not sensitive and are shown as empty; because their zero is known, an empty cell
   can never be the partner that protects another.
2. Secondary suppression, for each row and column whose total is shown (and for the row of column
   totals and the column of row totals when the grand total is shown): if it holds hidden cells,
   it must hold at least two, and together they must count at least k people. Otherwise the next
   smallest non-empty cell in that line is hidden too (its total only when no cell is left). This
   repeats until nothing changes.
3. A final check that does not rely on rows and columns one at a time: the hidden entries (cells
   and totals) are taken as unknowns in the equations "each row and column adds up to its total";
   a hidden entry that those equations fix exactly (for example one bridging two separate blocks
   of hidden cells) gets another partner, and steps 2 and 3 repeat.

So a hidden cell's count or sum can never be had by subtraction, in one line or by combining
lines. What remains knowable is a range: the hidden cells of a line together count at least k
people, and a reader can bound each one (at least 1, at most the hidden total less 1 for each other
hidden cell). Totals that the page does not show at all (`row_totals=False` and so on) are unknowns
too, and are marked as not shown in the result.

Everything here is about one table. A figure shown elsewhere (another page, last year's heatmap,
a filtered view) is outside it: put such figures in the same table, for example a team next to its
organisation as the cells "team" and "rest of the organisation" with the organisation as the row
total."""

from collections import deque
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Suppression:
    """What must not be shown: True marks a hidden (or never shown) figure."""

    cells: np.ndarray  # bool [rows, columns]
    row_totals: np.ndarray  # bool [rows]
    column_totals: np.ndarray  # bool [columns]
    grand_total: bool


@dataclass(frozen=True)
class TableFigures:
    """Counts and means as they may be shown: count 0 and mean NaN where hidden (an empty cell has
    count 0 and mean NaN too, so check `suppression` to tell them apart)."""

    cell_counts: np.ndarray
    cell_means: np.ndarray
    row_counts: np.ndarray
    row_means: np.ndarray
    column_counts: np.ndarray
    column_means: np.ndarray
    grand_count: int
    grand_mean: float
    suppression: Suppression


def suppress_table(
    *,
    counts: np.ndarray,
    threshold: int,
    row_totals: bool = True,
    column_totals: bool = True,
    grand_total: bool = True,
) -> Suppression:
    """Which cells and totals of a table of people counts must be hidden (see the module docstring).

    `counts` is [rows, columns] of whole numbers of people; `threshold` is k (3 for team profiles, 5
    for the heatmap, never below 2). `row_totals`, `column_totals` and `grand_total` say which totals
    the page would show; totals it does not show come back marked as hidden."""
    counts = np.asarray(counts)
    if counts.ndim != 2:
        raise ValueError("counts must be a table: [rows, columns].")
    if counts.size and (not np.issubdtype(counts.dtype, np.integer) or counts.min() < 0):
        raise ValueError("counts must be whole numbers of people, 0 or more.")
    if threshold < 2:
        raise ValueError("The threshold cannot be below 2.")
    n_rows, n_columns = counts.shape
    # The extended table: cells, then each row's total in column n_columns, each column's total in
    # row n_rows, and the grand total in the corner. Every line of it (row or column) is a set of
    # cells and the total they add up to.
    value = np.zeros((n_rows + 1, n_columns + 1), dtype=np.int64)
    value[:n_rows, :n_columns] = counts
    value[:n_rows, n_columns] = counts.sum(axis=1)
    value[n_rows, :n_columns] = counts.sum(axis=0)
    value[n_rows, n_columns] = counts.sum()
    absent = np.zeros(value.shape, dtype=bool)  # totals the page never shows: unknown, not sensitive
    absent[:n_rows, n_columns] = not row_totals
    absent[n_rows, :n_columns] = not column_totals
    absent[n_rows, n_columns] = not grand_total
    hidden = (value > 0) & (value < threshold) & ~absent  # primary suppression
    table = _Table(value=value, absent=absent, hidden=hidden, threshold=threshold)
    table.protect()
    unknown = table.hidden | absent
    return Suppression(
        cells=unknown[:n_rows, :n_columns].copy(),
        row_totals=unknown[:n_rows, n_columns].copy(),
        column_totals=unknown[n_rows, :n_columns].copy(),
        grand_total=bool(unknown[n_rows, n_columns]),
    )


def table_figures(*, counts: np.ndarray, sums: np.ndarray, suppression: Suppression) -> TableFigures:
    """The counts and means a page may show, given the cells' counts and sums of scores."""
    counts = np.asarray(counts, dtype=np.int64)
    sums = np.asarray(sums, dtype=float)
    if sums.shape != counts.shape or suppression.cells.shape != counts.shape:
        raise ValueError("counts, sums and the suppression must be for the same table.")

    def shown(count, total, hide):
        count = np.where(hide, 0, count)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(hide | (count == 0), np.nan, total / np.where(count == 0, 1, count))
        return count, mean

    cell_counts, cell_means = shown(counts, sums, suppression.cells)
    row_counts, row_means = shown(counts.sum(axis=1), sums.sum(axis=1), suppression.row_totals)
    column_counts, column_means = shown(counts.sum(axis=0), sums.sum(axis=0), suppression.column_totals)
    grand_count, grand_mean = shown(np.array(counts.sum()), np.array(sums.sum()), np.array(suppression.grand_total))
    return TableFigures(
        cell_counts=cell_counts,
        cell_means=cell_means,
        row_counts=row_counts,
        row_means=row_means,
        column_counts=column_counts,
        column_means=column_means,
        grand_count=int(grand_count),
        grand_mean=float(grand_mean),
        suppression=suppression,
    )


class _Table:
    """The extended table and its hidden entries, while `protect` works on it.

    Lines: rows 0..R of the extended table are lines 0..R, its columns 0..C are lines R+1..R+C+1.
    Entry (i, j) lies on row line i and column line R+1+j; the last entry of each line is its total
    (the grand total is the total of the row of column totals and of the column of row totals)."""

    def __init__(self, *, value: np.ndarray, absent: np.ndarray, hidden: np.ndarray, threshold: int):
        self.value = value
        self.absent = absent
        self.hidden = hidden
        self.threshold = threshold
        self.rows, self.columns = value.shape

    def unknown(self) -> np.ndarray:
        return self.hidden | self.absent

    def line_entries(self, line: int) -> list[tuple[int, int]]:
        if line < self.rows:
            return [(line, j) for j in range(self.columns)]
        j = line - self.rows
        return [(i, j) for i in range(self.rows)]

    def total_of(self, line: int) -> tuple[int, int]:
        return self.line_entries(line)[-1]

    def is_total(self, entry: tuple[int, int]) -> bool:
        return entry[0] == self.rows - 1 or entry[1] == self.columns - 1

    def partner(self, entries) -> tuple[int, int] | None:
        """The entry to hide next among `entries`: a non-empty shown one, cells before totals, then
        the smallest count, then the first in reading order."""
        candidates = [e for e in entries if self.value[e] > 0 and not self.hidden[e] and not self.absent[e]]
        if not candidates:
            return None
        return min(candidates, key=lambda e: (self.is_total(e), int(self.value[e]), e))

    def protect(self) -> None:
        while True:
            while self.protect_lines():
                pass
            if not self.protect_bridges():
                return

    def protect_lines(self) -> bool:
        """Step 2, one sweep: hide a partner in each line that needs one. True if anything changed."""
        changed = False
        for line in range(self.rows + self.columns):
            total = self.total_of(line)
            if self.hidden[total] or self.absent[total]:
                continue  # the line's sum is not shown: nothing to subtract from
            cells = self.line_entries(line)[:-1]
            unknown = [e for e in cells if self.hidden[e] or self.absent[e]]
            if not any(self.hidden[e] for e in unknown):
                continue
            if len(unknown) >= 2 and sum(int(self.value[e]) for e in unknown) >= self.threshold:
                continue
            chosen = self.partner(cells) or self.partner([total])
            if chosen is None:  # cannot happen: the total is shown and above 0
                raise AssertionError(f"No partner for line {line}.")
            self.hidden[chosen] = True
            changed = True
        return changed

    def protect_bridges(self) -> bool:
        """Step 3: give a partner to one hidden entry that the line equations fix exactly (a bridge
        in the graph whose nodes are lines and whose edges are unknown entries). True if anything
        changed."""
        unknown = self.unknown()
        for entry in _bridges(unknown):
            if not self.hidden[entry]:
                continue  # a total the page never shows: working it out harms no one
            i, j = entry
            unknown[entry] = False
            side = _reachable(unknown, i)  # lines on the row's side once the entry is removed
            unknown[entry] = True
            other_side = _reachable(unknown, self.rows + j, without=entry)
            crossing, closing = [], []
            for a in range(self.rows):
                for b in range(self.columns):
                    row_in, column_in = a in side, self.rows + b in side
                    if row_in != column_in:
                        crossing.append((a, b))
                        if (a if not row_in else self.rows + b) in other_side:
                            closing.append((a, b))
            chosen = self.partner(closing) or self.partner(crossing)
            if chosen is None:  # cannot happen: the entry's value is the sum of the known crossing ones
                raise AssertionError(f"No partner for {entry}.")
            self.hidden[chosen] = True
            return True
        return False


def _neighbours(unknown: np.ndarray, line: int) -> list[tuple[int, tuple[int, int]]]:
    rows, columns = unknown.shape
    if line < rows:
        return [(rows + j, (line, j)) for j in range(columns) if unknown[line, j]]
    j = line - rows
    return [(i, (i, j)) for i in range(rows) if unknown[i, j]]


def _reachable(unknown: np.ndarray, start: int, without: tuple[int, int] | None = None) -> set[int]:
    seen = {start}
    queue = deque([start])
    while queue:
        for other, entry in _neighbours(unknown, queue.popleft()):
            if entry != without and other not in seen:
                seen.add(other)
                queue.append(other)
    return seen


def _bridges(unknown: np.ndarray) -> list[tuple[int, int]]:
    """The unknown entries that lie on no cycle of the line graph, in reading order: exactly those
    whose value the line equations fix (Tarjan's bridge search, without recursion)."""
    rows, columns = unknown.shape
    n = rows + columns
    order = [-1] * n
    low = [0] * n
    found = []
    counter = 0
    for root in range(n):
        if order[root] >= 0:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack = [(root, None, iter(_neighbours(unknown, root)))]
        while stack:
            node, via, edges = stack[-1]
            advanced = False
            for other, entry in edges:
                if entry == via:
                    continue
                if order[other] < 0:
                    order[other] = low[other] = counter
                    counter += 1
                    stack.append((other, entry, iter(_neighbours(unknown, other))))
                    advanced = True
                    break
                low[node] = min(low[node], order[other])
            if advanced:
                continue
            stack.pop()
            if stack:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent]:
                    found.append(via)
    return sorted(found)
