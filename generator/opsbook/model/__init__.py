"""The scenario model: frozen values built from checked YAML, and the computations on them.

``values`` holds the frozen values, ``build`` makes them from checked YAML data, ``evaluate``
computes achievement, alerts and overdue items on an as-of date, and ``catalog`` gathers every
scenario with its state. The names below are the model's public face: import them from here.
"""

from opsbook.model.build import scenario_from_data
from opsbook.model.evaluate import (
    MetricState,
    ScenarioState,
    achievement,
    alert_level,
    due_between,
    evaluate,
    is_stale,
    meets_target,
    metric_state,
)
from opsbook.model.values import (
    CADENCE_DAYS,
    DEFAULT_CRITICAL_AT,
    DEFAULT_WARN_AT,
    INDUSTRIES,
    Action,
    Alert,
    Anomaly,
    Cycle,
    JourneyStage,
    Metric,
    Needs,
    Observation,
    Person,
    Resources,
    Review,
    Scenario,
    SopStep,
    Source,
    Team,
    Waiver,
)

__all__ = [
    "CADENCE_DAYS",
    "DEFAULT_CRITICAL_AT",
    "DEFAULT_WARN_AT",
    "INDUSTRIES",
    "Action",
    "Alert",
    "Anomaly",
    "Cycle",
    "JourneyStage",
    "Metric",
    "MetricState",
    "Needs",
    "Observation",
    "Person",
    "Resources",
    "Review",
    "Scenario",
    "ScenarioState",
    "SopStep",
    "Source",
    "Team",
    "Waiver",
    "achievement",
    "alert_level",
    "due_between",
    "evaluate",
    "is_stale",
    "meets_target",
    "metric_state",
    "scenario_from_data",
]
