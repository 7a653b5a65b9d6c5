"""Step definitions, grouped by the tutorial's screens; loaded as plugins by conftest.py."""
