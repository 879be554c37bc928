"""The scenarios opsbook ships: strict-clean, and interesting on their as-of date."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from conftest import ROOT, SCENARIOS, SHIPPED_AS_OF
from opsbook.model import Alert
from opsbook.model.catalog import load_catalog


def test_shipped_scenarios_pass_strict_check(run_opsbook) -> None:
    result = run_opsbook("check", "--strict", "--lang", "en")
    assert result.returncode == 0, result.stdout
    files = len(list(SCENARIOS.glob("*.yaml")))
    assert result.stdout == f"{files} file(s) checked: no problems\n"


def test_shipped_scenarios_cover_every_industry_and_both_languages() -> None:
    catalog, _ = load_catalog([SCENARIOS], as_of=dt.date.fromisoformat(SHIPPED_AS_OF))
    assert catalog is not None
    industries = Counter(s.industry for s in catalog.scenarios)
    assert all(industries[name] >= 2 for name in ("ecommerce", "saas", "local-services", "content"))
    english = [s for s in catalog.scenarios if s.title.isascii()]
    assert len(catalog.scenarios) - len(english) >= 8 and english
    owners = {p for s in catalog.scenarios for p in s.people()}
    assert owners == set(catalog.team.people), "everyone in the team directory owns something"


def test_shipped_scenarios_show_alerts_and_overdue_items_on_their_as_of_date() -> None:
    catalog, _ = load_catalog([SCENARIOS], as_of=dt.date.fromisoformat(SHIPPED_AS_OF))
    assert catalog is not None
    alerts = Counter(m.alert for state in catalog.states.values() for m in state.metrics)
    assert alerts[Alert.WARNING] >= 2 and alerts[Alert.CRITICAL] >= 2
    assert sum(len(s.overdue_actions) for s in catalog.states.values()) >= 5
    assert sum(len(s.overdue_anomalies) for s in catalog.states.values()) >= 3
    assert (ROOT / "mkdocs.yml").read_text(encoding="utf-8").count(f"as_of: {SHIPPED_AS_OF}") == 1
