"""Fixtures shared by the tests; plain functions and constants live in helpers.py."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pytest
from helpers import bundled_setups, installed_command

from jeugdgov import Setup, validate
from jeugdgov.validation import Report


@pytest.fixture(scope="session")
def jeugdgov_command() -> str:
    return installed_command("jeugdgov")


@pytest.fixture(scope="session")
def setups() -> dict[str, Setup]:
    """The bundled setups by name. Tests read them and must not change their graphs."""
    return bundled_setups()


@pytest.fixture(scope="session")
def pyshacl_reference() -> Callable[[str], Report]:
    """pySHACL's report on a bundled setup, by name. pySHACL takes seconds to tens of seconds a
    setup, and several tests compare against the same reference, so each is computed once."""

    @cache
    def report(name: str) -> Report:
        return validate(bundled_setups()[name], engine="pyshacl")

    return report


#: The files that take minutes each (national data pushed into Virtuoso, pySHACL on whole
#: setups): they go to the workers first, so that no worker is left running one of them alone
#: while the other has finished (benchmarks/tests.py measures the difference).
LONGEST_FIRST = ("test_push_national.py", "test_push.py", "test_virtuoso.py", "test_fast_engine.py", "test_synth.py",
                 "test_store.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    order = {name: rank for rank, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: order.get(item.path.name, len(order)))  # stable: the rest keep their order
