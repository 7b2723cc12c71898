import pytest

MENTEES = """person_id,organisation,level,manager_id,avoid,need_resilience,need_digital
E1,North Borough,1,R2,,4,1
E2,South Borough,2,,R1,2,3
E3,North Borough,5,,,1,1
"""
MENTORS = """person_id,organisation,level,capacity,strength_resilience,strength_digital
R1,North Borough,3,1,4,0
R2,North Borough,4,2,3,3
"""


@pytest.fixture
def files(tmp_path):
    """Write MENTEES.csv and MENTORS.csv (the small example above, or the text given) and return
    the three paths, the matches file not yet written."""

    def write(mentees: str | bytes = MENTEES, mentors: str | bytes = MENTORS):
        paths = tmp_path / "mentees.csv", tmp_path / "mentors.csv"
        for path, content in zip(paths, (mentees, mentors), strict=True):
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return (*paths, tmp_path / "matches.csv")

    return write
