"""Imports of review rows: a new review period is added, a changed one is rewritten."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from yaml.nodes import MappingNode, SequenceNode

from opsbook.check.diagnostics import Diagnostic
from opsbook.edit.changeset import OpenFile
from opsbook.edit.xlsx.rows import (
    Import,
    SheetRow,
    cell_text,
    check_read_only,
    exported_row,
    parse_choice,
    parse_date,
    parse_lines,
    parse_person,
)
from opsbook.edit.yamledit import (
    Edit,
    after_line,
    child,
    item_indent,
    newline_of,
    node_at,
    render_flow_map,
    render_flow_seq,
    render_scalar,
    replace_block_sequence,
    replace_node,
    set_scalar,
)
from opsbook.model import Review

_REVIEW_LISTS = ("worked", "problems", "measures")


@dataclass(frozen=True)
class ReviewRow:
    start: dt.date
    end: dt.date
    kind: str
    attainment: str
    worked: list[str]
    problems: list[str]
    measures: list[str]
    owner: str

    def data(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "period": {"start": self.start.isoformat(), "end": self.end.isoformat()}
        }
        if self.kind != "cycle":
            item["kind"] = self.kind
        item.update(attainment=self.attainment, worked=self.worked, problems=self.problems,
                    measures=self.measures, owner=self.owner)  # fmt: skip
        return item


def parse_review(imp: Import, row: SheetRow) -> ReviewRow | None:
    found = len(imp.problems)
    start, end = parse_date(row, "start", imp.problems), parse_date(row, "end", imp.problems)
    for key, value in (("start", start), ("end", end)):
        if value is None and key in row.cells and cell_text(row.value(key)) is None:
            column = row.sheet.column(key).header(row.lang)
            imp.problems.append(Diagnostic.at(row.where(key), "import.empty", {"column": column}))
    kind = (
        "cycle" if cell_text(row.value("kind")) is None else parse_choice(row, "kind", imp.problems)
    )
    attainment = cell_text(row.value("attainment"))
    if attainment is None and "attainment" in row.cells:
        column = row.sheet.column("attainment").header(row.lang)
        imp.problems.append(
            Diagnostic.at(row.where("attainment"), "import.empty", {"column": column})
        )
    owner = parse_person(imp, row, "owner") if "owner" in row.cells else None
    if len(imp.problems) > found or None in (start, end, kind, attainment, owner):
        return None
    lists = {key: parse_lines(row, key) for key in _REVIEW_LISTS}
    return ReviewRow(start, end, kind, attainment, owner=owner, **lists)  # type: ignore[arg-type]


def import_review(imp: Import, row: SheetRow) -> None:
    scenario = imp.scenario(row)
    review = parse_review(imp, row)
    if scenario is None or review is None:
        return
    exported = exported_row(imp, row)
    if exported is not None:
        check_read_only(imp, row, exported, scenario.file)
    if any(_same_review(stored, review) for stored in scenario.reviews):
        return  # unchanged: the file is not even parsed again
    opened = imp.open(scenario)
    existing = opened.expected.get("reviews", [])
    index = next(
        (i for i, r in enumerate(existing)
         if (r["period"]["start"], r["period"]["end"]) == (review.start.isoformat(), review.end.isoformat())),
        None,
    )  # fmt: skip
    period = f"{review.start.isoformat()}–{review.end.isoformat()}"
    if index is None:
        _add_review(imp, opened, review, row)
        imp.note("import.review-added", item=scenario.id, period=period)
    elif index < len(scenario.reviews) and _update_review(opened, index, review):
        imp.note("import.review-updated", item=scenario.id, period=period)


def _same_review(stored: Review, review: ReviewRow) -> bool:
    return (
        (stored.start, stored.end, stored.kind, stored.attainment, stored.owner)
        == (review.start, review.end, review.kind, review.attainment, review.owner)
        and list(stored.worked) == review.worked
        and list(stored.problems) == review.problems
        and list(stored.measures) == review.measures
    )


def _update_review(opened: OpenFile, index: int, review: ReviewRow) -> bool:
    node = node_at(opened.root, ("reviews", index))
    assert isinstance(node, MappingNode)
    stored = opened.expected["reviews"][index]
    wanted = review.data()
    changed = False
    if stored.get("kind", "cycle") != review.kind:
        opened.edits.append(set_scalar(opened.text, node, "kind", review.kind))
        stored["kind"] = review.kind
        changed = True
    for key in ("attainment", "owner"):
        if stored[key] != wanted[key]:
            opened.edits.append(set_scalar(opened.text, node, key, wanted[key]))
            stored[key] = wanted[key]
            changed = True
    for key in _REVIEW_LISTS:
        if stored[key] != wanted[key]:
            opened.edits.append(_replace_list(opened.text, node, key, wanted[key]))
            stored[key] = wanted[key]
            changed = True
    return changed


def _replace_list(text: str, mapping: MappingNode, key: str, values: list[str]) -> Edit:
    key_node, node = next((k, v) for k, v in mapping.value if k.value == key)
    if isinstance(node, SequenceNode) and not node.flow_style and node.value:
        if values:
            return replace_block_sequence(text, node, values)
        end = after_line(text, node.value[-1])
        return Edit(key_node.end_mark.index, end, ": []" + newline_of(text))
    return replace_node(text, node, render_flow_seq(values))


def _review_lines(indent: str, review: ReviewRow, nl: str) -> str:
    data = review.data()
    lines = [f"- period: {render_flow_map({'start': review.start, 'end': review.end})}"]
    for key, value in data.items():
        if key == "period":
            continue
        rendered = render_flow_seq(value) if isinstance(value, list) else render_scalar(value)
        lines.append(f"  {key}: {rendered}")
    return "".join(f"{indent}{line}{nl}" for line in lines)


def _add_review(imp: Import, opened: OpenFile, review: ReviewRow, row: SheetRow) -> None:
    nl = newline_of(opened.text)
    reviews = child(opened.root, "reviews")
    if isinstance(reviews, SequenceNode) and not reviews.flow_style and reviews.value:
        at = after_line(opened.text, reviews.value[-1])
        opened.edits.append(
            Edit(at, at, _review_lines(item_indent(opened.text, reviews), review, nl))
        )
    elif reviews is None and isinstance(opened.root, MappingNode) and not opened.root.flow_style:
        at = after_line(opened.text, opened.root.value[-1][1])
        opened.edits.append(Edit(at, at, f"reviews:{nl}" + _review_lines("  ", review, nl)))
    else:
        imp.problems.append(Diagnostic.at(row.where("scenario_id"), "edit.unsafe", {}))
        return
    opened.expected.setdefault("reviews", []).append(review.data())
