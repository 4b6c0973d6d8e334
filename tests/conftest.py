"""Shared pytest configuration: Hypothesis profiles.

``default``: 200 examples per property, no deadline (the first call of a
solver pays for imports), derandomised when the ``CI`` environment variable is
set. ``heavy``: 2000 examples per property. Select with ``HYPOTHESIS_PROFILE``.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "default",
    max_examples=200,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("heavy", parent=settings.get_profile("default"), max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_configure(config):
    # Hypothesis' failure report imports a module that warns on import; with
    # ``filterwarnings = error`` that warning would hide the falsifying example.
    config.addinivalue_line(
        "filterwarnings", "ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"
    )
