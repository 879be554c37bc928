"""The values a check hands to the model: kept encoded, decoded one file at a time, and
their repeated strings and dates shared once the catalog is built."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from conftest import SCENARIOS
from opsbook.check.run import CheckedFile, check_paths, decode_values, encode_values
from opsbook.model.catalog import load_catalog
from opsbook.support.cache import Cache

AS_OF = dt.date(2026, 6, 22)


def test_a_checked_file_and_its_values_come_back_from_the_cache_as_they_were() -> None:
    values = {"id": "s-1", "title": "标题\n第二行", "metrics": [{"target": 0.25}]}
    checked = CheckedFile("a.yaml", "s-1", 2, (), encode_values(values))
    again = CheckedFile.from_bytes(checked.to_bytes())
    assert again == checked
    assert again.data is not None and decode_values(again.data) == values


def test_a_file_with_errors_comes_back_from_the_cache_without_values() -> None:
    checked = CheckedFile("a.yaml", None, 0, ())
    assert CheckedFile.from_bytes(checked.to_bytes()) == checked


def test_the_values_are_the_same_from_a_cold_and_a_warm_cache(tmp_path: Path) -> None:
    cold = check_paths([SCENARIOS], cache=Cache(tmp_path), base=SCENARIOS.parent)
    warm = check_paths([SCENARIOS], cache=Cache(tmp_path), base=SCENARIOS.parent)
    assert cold.data and dict(cold.data) == dict(warm.data)


def test_equal_strings_and_dates_of_a_catalog_are_one_object() -> None:
    catalog, result = load_catalog([SCENARIOS], as_of=AS_OF)
    assert catalog is not None, result
    by_value: dict[object, set[int]] = defaultdict(set)
    for scenario in catalog.scenarios:
        for action in scenario.actions:
            for value in (action.status, action.owner, action.start, action.due):
                if value is not None:
                    by_value[value].add(id(value))
    assert len(by_value) < sum(len(s.actions) for s in catalog.scenarios)  # values repeat
    assert all(len(ids) == 1 for ids in by_value.values())
