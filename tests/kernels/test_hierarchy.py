from hypothesis import given
from hypothesis import strategies as st

from cadre.kernels.hierarchy import depths, find_cycles


def test_no_cycles_in_a_tree():
    assert find_cycles([-1, 0, 0, 1, 1, 2]) == []
    assert depths([-1, 0, 0, 1, 1, 2]) == [0, 1, 1, 2, 2, 2]


def test_cycles_are_found_and_reported_from_their_smallest_member():
    assert find_cycles([2, 0, 1, -1]) == [[0, 2, 1]]
    assert find_cycles([1, 0, 3, 2, 2]) == [[0, 1], [2, 3]]
    assert find_cycles([0]) == [[0]]


def test_a_reference_outside_the_array_ends_a_chain():
    assert find_cycles([5, 0, -1]) == []


@given(st.lists(st.integers(min_value=-1, max_value=30), min_size=1, max_size=30))
def test_every_node_on_a_cycle_is_found_and_no_other(parent):
    parent = [p if p < len(parent) else -1 for p in parent]
    on_cycle = set()
    for start in range(len(parent)):
        seen, node = [], start
        while node >= 0 and node not in seen:
            seen.append(node)
            node = parent[node]
        if node == start:
            on_cycle.add(start)
    found = find_cycles(parent)
    assert {n for cycle in found for n in cycle} == on_cycle
    for cycle in found:
        for a, b in zip(cycle, [*cycle[1:], cycle[0]], strict=True):
            assert parent[a] == b
