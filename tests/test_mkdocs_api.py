"""The MkDocs and Material versions the private-API adapter (mkdocs_plugin/mkdocs_api.py)
was written against: a version outside them fails here, naming the adapter to check."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from opsbook.mkdocs_plugin.mkdocs_api import SUPPORTED, installed_version

ADAPTER = "generator/opsbook/mkdocs_plugin/mkdocs_api.py"
PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def _release(version: str) -> tuple[int, ...]:
    """The leading release numbers: "9.8.2" → (9, 8, 2), "10.0b1" → (10, 0)."""
    found = re.match(r"\d+(?:\.\d+)*", version)
    assert found is not None, f"not a version: {version!r}"
    return tuple(int(part) for part in found.group().split("."))


def outside_supported(distribution: str, version: str) -> str | None:
    """Why ``version`` of ``distribution`` is not supported, or None when it is."""
    low, high = SUPPORTED[distribution]
    if _release(low) <= _release(version) < _release(high):
        return None
    return (
        f"{distribution} {version} is outside the range {ADAPTER} supports "
        f"(>={low},<{high}): check every private MkDocs/Material use in that module "
        "against the new version, then widen SUPPORTED there and in pyproject.toml"
    )


@pytest.mark.parametrize("distribution", sorted(SUPPORTED))
def test_installed_version_is_supported(distribution: str) -> None:
    version = installed_version(distribution)
    assert version, f"{distribution} is not installed"
    problem = outside_supported(distribution, version)
    assert problem is None, problem


@pytest.mark.parametrize("distribution", sorted(SUPPORTED))
def test_pyproject_pins_the_supported_range(distribution: str) -> None:
    low, high = SUPPORTED[distribution]
    dependencies = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    assert f"{distribution}>={low},<{high}" in dependencies


def test_a_version_outside_the_range_names_the_adapter() -> None:
    assert outside_supported("mkdocs", "1.6.1") is None
    assert outside_supported("mkdocs", "2.0") == (
        "mkdocs 2.0 is outside the range generator/opsbook/mkdocs_plugin/mkdocs_api.py "
        "supports (>=1.6,<2): check every private MkDocs/Material use in that module against "
        "the new version, then widen SUPPORTED there and in pyproject.toml"
    )
    assert outside_supported("mkdocs-material", "9.4.14") is not None
    assert outside_supported("mkdocs-material", "10.0b1") is not None


def test_remembered_segmenting_gives_materials_own() -> None:
    """``remember_segmenting`` does what Material's ``_segment_chinese`` does, run by run."""
    from material.plugins.search.plugin import SearchIndex

    from opsbook.mkdocs_plugin.mkdocs_api import remember_segmenting

    text = "新用户首单转化率 ≥ 20%：注册按钮不醒目，Q3 复盘 新用户首单转化率"
    index = SearchIndex(lang=["zh", "en"], separator=r"[\s\-]+", pipeline=[], fields={})
    materials = index._segment_chinese(text)
    segmented: dict[str, str] = {}
    remember_segmenting(index, segmented)
    assert index._segment_chinese(text) == materials
    assert "新用户首单转化率" in segmented and len(segmented) == 3
    segmented["复盘"] = "\u200b复-盘\u200b"  # a remembered run is not segmented again
    assert "复-盘" in index._segment_chinese(text)


def test_a_builds_segmenting_is_materials_own_remembered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A build (no memo of serve's) remembers runs too, and gives Material's text."""
    import jieba
    from material.plugins.search.plugin import SearchIndex

    from opsbook.mkdocs_plugin.mkdocs_api import remember_segmenting

    text = "新用户首单转化率 ≥ 20%：注册按钮不醒目，Q3 复盘 新用户首单转化率"
    index = SearchIndex(lang=["zh", "en"], separator=r"[\s\-]+", pipeline=[], fields={})
    materials = index._segment_chinese(text)
    remember_segmenting(index, None)
    assert index._segment_chinese(text) == materials
    monkeypatch.setattr(jieba, "cut", None)  # every run again: none is segmented anew
    assert index._segment_chinese(text) == materials
