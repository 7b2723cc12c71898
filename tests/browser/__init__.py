"""Browser tests: Debian's Chromium against the live test server (see conftest.py)."""

import pytest

# The live server answers from another thread, so these tests commit for real and the database
# is emptied after each one (a transactional test).
live_database = pytest.mark.django_db(transaction=True)
