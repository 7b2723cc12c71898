"""Line-management graphs as plain arrays: `parent[i]` is the index of i's manager, or -1."""

from collections.abc import Sequence


def find_cycles(parent: Sequence[int]) -> list[list[int]]:
    """Every cycle in the graph, each as the list of its members in the order of the chain
    (i, parent[i], parent[parent[i]], ...), starting from its smallest index. O(n)."""
    n = len(parent)
    state = [0] * n  # 0 unseen, 1 on the current walk, 2 finished
    cycles: list[list[int]] = []
    for start in range(n):
        if state[start]:
            continue
        walk: list[int] = []
        node = start
        while 0 <= node < n and state[node] == 0:
            state[node] = 1
            walk.append(node)
            node = parent[node]
        if 0 <= node < n and state[node] == 1:
            cycle = walk[walk.index(node) :]
            smallest = cycle.index(min(cycle))
            cycles.append(cycle[smallest:] + cycle[:smallest])
        for member in walk:
            state[member] = 2
    return sorted(cycles)


def depths(parent: Sequence[int]) -> list[int]:
    """Distance of each node from the top of its chain (0 for someone with no manager).
    Assumes there are no cycles."""
    n = len(parent)
    depth = [-1] * n
    for start in range(n):
        walk = []
        node = start
        while 0 <= node < n and depth[node] < 0:
            walk.append(node)
            node = parent[node]
        base = depth[node] if 0 <= node < n else -1
        for member in reversed(walk):
            base += 1
            depth[member] = base
    return depth
