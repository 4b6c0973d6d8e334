"""Suite-wide configuration: the doctests that are slow carry the ``slow`` marker too."""

import pytest

# doctests cannot carry a decorator: the ones over about 5 s are marked here
SLOW_DOCTESTS = {
    "bargain.issues._frontier.IssueFrontier",  # ~7 s: 120 evaluations of an exact frontier
}


def pytest_collection_modifyitems(config, items):
    """Mark the slow doctests ``slow``."""
    for item in items:
        if item.name in SLOW_DOCTESTS:
            item.add_marker(pytest.mark.slow)
