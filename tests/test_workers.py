"""-n auto: one worker more than the cores for a run of the tests; xdist's own rule elsewhere."""

from __future__ import annotations

import pytest

from tutorial.ci import workers


def test_auto_is_one_worker_more_than_the_cores():
    assert workers.auto_workers("auto", False, {}) == workers.cores() + 1


@pytest.mark.parametrize(
    ("numprocesses", "updating", "environ"),
    [
        ("logical", False, {}),  # xdist counts the logical CPUs
        (4, False, {}),  # a number is a number
        ("auto", True, {}),  # make figuras: one worker per core
        ("auto", False, {"PYTEST_XDIST_AUTO_NUM_WORKERS": "5"}),  # xdist's own setting wins
    ],
)
def test_elsewhere_xdist_decides(numprocesses, updating, environ):
    assert workers.auto_workers(numprocesses, updating, environ) is None


def test_xdist_asks_this_rule_first(pytestconfig, monkeypatch):
    """The hook xdist calls for -n auto answers with the rule (first: xdist's own would say the cores)."""
    if not pytestconfig.pluginmanager.hasplugin("xdist"):
        pytest.skip("xdist está desactivado en esta corrida (-p no:xdist): nadie llama a su gancho")
    monkeypatch.setattr(pytestconfig.option, "numprocesses", "auto")
    monkeypatch.setattr(pytestconfig.option, "update_figures", False)
    monkeypatch.delenv("PYTEST_XDIST_AUTO_NUM_WORKERS", raising=False)
    hook = pytestconfig.pluginmanager.hook.pytest_xdist_auto_num_workers
    assert hook(config=pytestconfig) == workers.cores() + 1
