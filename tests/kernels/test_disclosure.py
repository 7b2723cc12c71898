"""Small-number suppression: worked tables, then properties over random tables, the strongest being
that no hidden figure can be worked out from the shown ones by any combination of rows and columns."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadre.kernels.disclosure import Suppression, suppress_table, table_figures


def extended(counts: np.ndarray, suppression: Suppression):
    """The table with its totals (row totals in the last column, column totals in the last row,
    the grand total in the corner), and which of its entries a reader cannot see."""
    rows, columns = counts.shape
    value = np.zeros((rows + 1, columns + 1), dtype=np.int64)
    value[:rows, :columns] = counts
    value[:rows, columns] = counts.sum(axis=1)
    value[rows, :columns] = counts.sum(axis=0)
    value[rows, columns] = counts.sum()
    unknown = np.zeros(value.shape, dtype=bool)
    unknown[:rows, :columns] = suppression.cells
    unknown[:rows, columns] = suppression.row_totals
    unknown[rows, :columns] = suppression.column_totals
    unknown[rows, columns] = suppression.grand_total
    return value, unknown


def fixed_entries(unknown: np.ndarray) -> list[tuple[int, int]]:
    """The unknown entries whose values the equations "each row and column adds up to its total"
    determine, found by linear algebra (independently of the kernel's graph search): an unknown is
    determined exactly when its unit vector lies in the row space of the equations."""
    rows, columns = unknown.shape
    positions = [tuple(e) for e in np.argwhere(unknown)]
    if not positions:
        return []
    index = {e: k for k, e in enumerate(positions)}

    def sign(i, j):  # totals enter their line's equation with the opposite sign to the cells
        inner = i < rows - 1 and j < columns - 1
        corner = i == rows - 1 and j == columns - 1
        return 1.0 if inner or corner else -1.0

    matrix = np.zeros((rows + columns, len(positions)))
    for (i, j), k in index.items():
        matrix[i, k] = sign(i, j)
        matrix[rows + j, k] = sign(i, j)
    rank = np.linalg.matrix_rank(matrix)
    found = []
    for e, k in index.items():
        unit = np.zeros((1, len(positions)))
        unit[0, k] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.append(e)
    return found


def hidden_sensitive(suppression: Suppression, shown_totals: tuple[bool, bool, bool], shape) -> np.ndarray:
    """The entries that are hidden (not merely never shown)."""
    rows, columns = shape
    hidden = np.zeros((rows + 1, columns + 1), dtype=bool)
    hidden[:rows, :columns] = suppression.cells
    hidden[:rows, columns] = suppression.row_totals & shown_totals[0]
    hidden[rows, :columns] = suppression.column_totals & shown_totals[1]
    hidden[rows, columns] = suppression.grand_total and shown_totals[2]
    return hidden


def as_grid(suppression: Suppression) -> list[str]:
    """Rows of the table as text, '#' hidden, '.' shown, a total after '|'; the column totals last."""
    lines = [
        "".join("#" if h else "." for h in row) + "|" + ("#" if total else ".")
        for row, total in zip(suppression.cells, suppression.row_totals, strict=True)
    ]
    grand = "#" if suppression.grand_total else "."
    lines.append("".join("#" if h else "." for h in suppression.column_totals) + "|" + grand)
    return lines


# Worked tables.


def test_a_table_with_no_small_cells_hides_nothing():
    counts = np.array([[5, 0, 7], [6, 9, 0]])
    assert as_grid(suppress_table(counts=counts, threshold=5)) == ["...|.", "...|.", "...|."]


def test_a_small_cell_gets_a_partner_in_its_row_and_its_column():
    counts = np.array([[2, 8, 9], [7, 6, 9], [8, 9, 7]])
    assert as_grid(suppress_table(counts=counts, threshold=3)) == [
        "##.|.",  # 2 is small; 8 is its row's next smallest
        "##.|.",  # 7 partners 2 in column 0, then 6 partners 8 in column 1 (and 7 in this row)
        "...|.",
        "...|.",
    ]


def test_an_empty_cell_cannot_be_a_partner():
    # The 2 sits between zeros: a zero is known, so it protects nothing; the 10 is hidden instead.
    counts = np.array([[2, 0, 0, 10], [5, 5, 5, 5]])
    suppression = suppress_table(counts=counts, threshold=3)
    assert suppression.cells[0, 0] and suppression.cells[0, 3]
    assert not suppression.cells[0, 1] and not suppression.cells[0, 2]
    assert fixed_entries(extended(counts, suppression)[1]) == []


def test_when_the_rest_of_a_line_is_empty_its_total_is_hidden():
    # One row: the 2 is the only non-empty cell, so the row total is 2 as well, and hidden. The
    # column total of column 0 is also 2: hidden. And the grand total with it.
    suppression = suppress_table(counts=np.array([[2, 0]]), threshold=3)
    assert as_grid(suppression) == ["#.|#", "#.|#"]


def test_a_total_below_the_threshold_is_hidden():
    # Row 0 adds up to 4: below 5, hidden, and another row total partners it for the grand total.
    counts = np.array([[0, 4], [0, 0], [9, 9], [7, 8]])
    suppression = suppress_table(counts=counts, threshold=5)
    assert suppression.row_totals[0]
    assert suppression.cells[0, 1]
    assert suppression.row_totals.sum() >= 2
    assert fixed_entries(extended(counts, suppression)[1]) == []


def test_hidden_cells_in_a_line_count_at_least_k_people_together():
    # Two hidden cells of 1 each, with the row total shown, would both be 1: the pair is not
    # enough, so a third cell joins them.
    counts = np.array([[1, 1, 6, 7]])
    suppression = suppress_table(counts=counts, threshold=3, column_totals=False, grand_total=False)
    assert suppression.cells.tolist() == [[True, True, True, False]]


def test_a_cell_fixed_by_combining_lines_gets_a_partner():
    # Every line with a shown total has two or more hidden cells counting at least 2 people, yet
    # the 1 at row 0, column 2 bridges two blocks of hidden cells: rows 0 and 1 less columns 0 and
    # 1 give its value exactly. The final check finds it and hides more.
    counts = np.array([[1, 1, 1, 0, 9], [1, 1, 0, 0, 9], [0, 0, 1, 1, 9], [0, 0, 1, 1, 9]])
    primary = Suppression(
        cells=(counts > 0) & (counts < 2),
        row_totals=np.zeros(4, bool),
        column_totals=np.zeros(5, bool),
        grand_total=False,
    )
    assert fixed_entries(extended(counts, primary)[1]) == [(0, 2)]
    suppression = suppress_table(counts=counts, threshold=2)
    assert (suppression.cells >= primary.cells).all()
    assert fixed_entries(extended(counts, suppression)[1]) == []


def test_totals_the_page_does_not_show_are_marked_and_protect_nothing_by_being_shown():
    counts = np.array([[2, 9], [9, 9]])
    suppression = suppress_table(counts=counts, threshold=3, row_totals=False, grand_total=False)
    # No row totals: the 2 needs a partner only in its column.
    assert suppression.row_totals.all() and suppression.grand_total
    assert suppression.cells.tolist() == [[True, False], [True, False]]


def test_a_team_next_to_its_organisation():
    # A team of 4 (shown) in an organisation of 6: the organisation less the team is 2 people, so
    # showing both would reveal those 2. As cells "team" and "rest", with the organisation as total:
    suppression = suppress_table(counts=np.array([[4, 2]]), threshold=3, column_totals=False, grand_total=False)
    assert suppression.cells.tolist() == [[True, True]]
    assert not suppression.row_totals[0]  # the organisation's figure stands; the team's does not


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="below 2"):
        suppress_table(counts=np.array([[1]]), threshold=1)
    with pytest.raises(ValueError, match="whole numbers"):
        suppress_table(counts=np.array([[-1]]), threshold=3)
    with pytest.raises(ValueError, match="whole numbers"):
        suppress_table(counts=np.array([[1.5]]), threshold=3)
    with pytest.raises(ValueError, match="table"):
        suppress_table(counts=np.array([1, 2]), threshold=3)


def test_figures_show_counts_and_means_only_where_allowed():
    counts = np.array([[2, 8, 9], [7, 6, 9], [8, 9, 7]])
    sums = counts * 3.0
    sums[0, 0] = 9.0
    suppression = suppress_table(counts=counts, threshold=3)
    figures = table_figures(counts=counts, sums=sums, suppression=suppression)
    assert figures.cell_counts[0, 0] == 0 and np.isnan(figures.cell_means[0, 0])
    assert figures.cell_counts[2, 2] == 7 and figures.cell_means[2, 2] == 3.0
    assert figures.row_counts[0] == 19 and figures.row_means[0] == pytest.approx((9 + 17 * 3) / 19)
    assert figures.grand_count == counts.sum()


# Properties over random tables.

small_counts = st.one_of(st.just(0), st.integers(1, 4), st.integers(5, 30))


@st.composite
def tables(draw):
    rows, columns = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    counts = np.array(draw(st.lists(small_counts, min_size=rows * columns, max_size=rows * columns)))
    return {
        "counts": counts.reshape(rows, columns),
        "threshold": draw(st.sampled_from([2, 3, 5])),
        "row_totals": draw(st.booleans()),
        "column_totals": draw(st.booleans()),
        "grand_total": draw(st.booleans()),
    }


@given(tables())
def test_small_figures_and_only_non_empty_cells_are_hidden(table):
    suppression = suppress_table(**table)
    counts, k = table["counts"], table["threshold"]
    assert suppression.cells[(counts > 0) & (counts < k)].all()
    assert not suppression.cells[counts == 0].any()
    value, unknown = extended(counts, suppression)
    shown = ~unknown
    assert ((value[shown] == 0) | (value[shown] >= k)).all()  # every shown total too
    if not table["row_totals"]:
        assert suppression.row_totals.all()
    if not table["column_totals"]:
        assert suppression.column_totals.all()
    if not table["grand_total"]:
        assert suppression.grand_total


@given(tables())
def test_no_line_with_a_shown_total_has_exactly_one_hidden_cell(table):
    """The classic check: in every row and column whose total is shown, the hidden non-empty cells
    number 0 or at least 2, and together count at least k people."""
    suppression = suppress_table(**table)
    counts, k = table["counts"], table["threshold"]
    lines = [(suppression.cells[i], counts[i], suppression.row_totals[i]) for i in range(counts.shape[0])]
    lines += [(suppression.cells[:, j], counts[:, j], suppression.column_totals[j]) for j in range(counts.shape[1])]
    for hidden, line_counts, total_hidden in lines:
        if total_hidden:
            continue
        hidden_cells = hidden & (line_counts > 0)
        assert hidden_cells.sum() != 1
        assert hidden_cells.sum() == 0 or line_counts[hidden_cells].sum() >= k


@given(tables())
def test_no_hidden_figure_can_be_worked_out_from_the_shown_ones(table):
    """The linear check over the whole table: with the hidden cells and totals as unknowns in every
    row's and column's sum, none of them is fixed, so neither its count nor its sum can be had."""
    suppression = suppress_table(**table)
    counts = table["counts"]
    _, unknown = extended(counts, suppression)
    sensitive = hidden_sensitive(
        suppression, (table["row_totals"], table["column_totals"], table["grand_total"]), counts.shape
    )
    assert not [e for e in fixed_entries(unknown) if sensitive[e]]


@given(tables())
def test_the_same_table_is_suppressed_the_same_way(table):
    first, second = suppress_table(**table), suppress_table(**table)
    assert np.array_equal(first.cells, second.cells)
    assert np.array_equal(first.row_totals, second.row_totals)
    assert np.array_equal(first.column_totals, second.column_totals)
    assert first.grand_total == second.grand_total
