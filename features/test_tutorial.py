"""Binds every .feature of this folder to pytest-bdd."""

import pytest
from pytest_bdd import scenarios

# Asking for `page` makes pytest-playwright parametrize the scenarios by --browser.
pytestmark = pytest.mark.usefixtures("page")

scenarios(".")
