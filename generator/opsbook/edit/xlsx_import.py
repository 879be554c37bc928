"""``opsbook import-xlsx``: statuses, actuals and review rows from a workbook into the YAML.

The workbook is one ``opsbook export --format xlsx`` wrote (in either language), maybe edited
in Excel or WPS. Every row is read and validated before anything is written; each problem
names the workbook, sheet and cell (``review.xlsx!T2 actions!K7``). Only input columns are
imported; a changed read-only column is an error rather than an edit silently dropped.
Edits are splices into the YAML (see :mod:`opsbook.edit.yamledit`), so an unchanged workbook
changes no byte of any file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, SequenceNode

from opsbook.check.run import CheckResult, display_path
from opsbook.edit.changeset import ChangeSet, FileChange, OpenFile, team_index
from opsbook.edit.obsmerge import Row, merge_observations
from opsbook.edit.sources.texts import Problem
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
from opsbook.exports.tables import SHEETS, Role, Sheet, choice_lookup, display
from opsbook.model import Review, Scenario
from opsbook.model.catalog import Catalog, load_catalog
from opsbook.site.render.labels import Labels

_PERSON = re.compile(r"\(([^()]+)\)\s*\Z")


@dataclass(frozen=True)
class Cell:
    where: str
    value: Any


@dataclass
class SheetRow:
    sheet: Sheet
    lang: str
    number: int
    cells: dict[str, Cell]

    def value(self, key: str) -> Any:
        cell = self.cells.get(key)
        return cell.value if cell else None

    def where(self, key: str) -> str:
        return self.cells[key].where


@dataclass
class Import:
    """The state of one import: the catalog, the files being edited, what was found."""

    catalog: Catalog
    changes: ChangeSet
    problems: list[Problem] = field(default_factory=list)
    done: list[Problem] = field(default_factory=list)
    exported: dict[tuple[str, str], dict[tuple[Any, ...], dict[str, Any]]] = field(
        default_factory=dict
    )

    def scenario(self, row: SheetRow) -> Scenario | None:
        wanted = _text(row.value("scenario_id"))
        found = next((s for s in self.catalog.scenarios if s.id == wanted), None)
        if found is None:
            self.problems.append(Problem(row.where("scenario_id"), "import.no-scenario",
                                         {"id": wanted or ""}))  # fmt: skip
        return found

    def open(self, scenario: Scenario) -> OpenFile:
        return self.changes.open(Path(scenario.file))

    def note(self, code: str, **args: Any) -> None:
        """Record one change, to be reported in the user's language."""
        self.done.append(Problem("", code, args))


# Reading cells.


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = (value if isinstance(value, str) else str(value)).replace("\r\n", "\n").strip()
    return text or None


def _normal(value: Any) -> Any:
    """Cells compared the way a person reads them: 20 == 20.0, a datetime at midnight is
    a date, surrounding spaces do not count."""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time(0) else value
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    return _text(value) if isinstance(value, str) else value


def read_rows(path: Path, shown: str, problems: list[Problem]) -> Iterator[SheetRow]:
    """Every non-empty data row of every sheet whose header is intact, with its cells
    located. The workbook must have exactly the sheets and headers the export wrote (in
    one language) and no formula anywhere: everything else is a problem, never a guess."""
    workbook = _open_workbook(path, shown, problems)
    if workbook is None:
        return
    lang, sheets = _check_sheets(workbook, shown, problems)
    for ws in workbook.worksheets:
        where = f"{shown}!{ws.title}!"
        skipped = _check_formulas(ws, where, problems)
        sheet = sheets.get(ws.title)
        if sheet is None or not _check_header(ws, sheet, lang, where, problems):
            continue
        yield from _sheet_rows(ws, sheet, lang, where, skipped, problems)


def _open_workbook(path: Path, shown: str, problems: list[Problem]) -> Any:
    """The workbook with its formulas as formulas (``data_only=False``), so a formula is
    seen and refused rather than read as whatever value it last showed."""
    from openpyxl import load_workbook

    try:
        return load_workbook(path, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        problems.append(
            Problem(shown, "import.not-xlsx", {"reason": str(error) or type(error).__name__})
        )
        return None


def _sheet_rows(
    ws: Any, sheet: Sheet, lang: str, where: str, skipped: set[int], problems: list[Problem]
) -> Iterator[SheetRow]:
    width = len(sheet.columns)
    for number, cells in enumerate(ws.iter_rows(min_row=2), start=2):
        if number in skipped or _empty(cells):
            continue
        _check_outside(cells[width:], where, problems)
        located = {
            column.key: Cell(f"{where}{cells[index].coordinate}", cells[index].value)
            for index, column in enumerate(sheet.columns) if index < len(cells)
        }  # fmt: skip
        yield SheetRow(sheet, lang, number, located)


def _empty(cells: Sequence[Any]) -> bool:
    return all(_text(c.value) is None for c in cells if not isinstance(c.value, bool))


def _check_outside(cells: Sequence[Any], where: str, problems: list[Problem]) -> None:
    """A value right of the table has no column: it would be silently left behind."""
    for cell in cells:
        if _text(cell.value) is not None:
            problems.append(Problem(f"{where}{cell.coordinate}", "workbook.outside", {}))


# The workbook's shape: its sheets, their headers, no formulas.


def _expected_titles(lang: str) -> list[str]:
    from opsbook.exports.workbook import ABOUT

    return [sheet.title(lang) for sheet in SHEETS] + [ABOUT[lang][0]]


def _check_sheets(
    workbook: Any, shown: str, problems: list[Problem]
) -> tuple[str, dict[str, Sheet]]:
    """The workbook's language (the one most sheet names are in) and its sheets by title.
    Sheets are matched by name, so a renamed, missing, extra or moved sheet is refused:
    its edits would otherwise be dropped without a word."""
    titles = list(workbook.sheetnames)
    lang = max(("en", "zh-CN"), key=lambda code: len(set(titles) & set(_expected_titles(code))))
    expected = _expected_titles(lang)
    for found in mismatches(titles, expected):
        located = shown if found.kind == "missing" else f"{shown}!{found.found}"
        problems.append(Problem(located, f"workbook.sheet-{found.kind}", found.args(expected)))
    return lang, {sheet.title(lang): sheet for sheet in SHEETS if sheet.title(lang) in titles}


def _check_header(ws: Any, sheet: Sheet, lang: str, where: str, problems: list[Problem]) -> bool:
    """The header row must be the one the export wrote; the rows of a sheet whose columns
    cannot be trusted are not read."""
    from openpyxl.utils import get_column_letter

    cells = list(next(ws.iter_rows(min_row=1, max_row=1), ()))
    header = [_text(c.value) or "" for c in cells]
    while header and not header[-1]:
        header.pop()
    expected = [column.header(lang) for column in sheet.columns]
    found = mismatches(header, expected)
    for problem in found:
        cell = f"{where}{get_column_letter(problem.position + 1)}1"
        problems.append(Problem(cell, f"workbook.column-{problem.kind}", problem.args(expected)))
    return not found


def _check_formulas(ws: Any, where: str, problems: list[Problem]) -> set[int]:
    """Every formula is refused, wherever it is: opsbook imports values someone typed,
    never something a spreadsheet computed (or could be made to compute). The rows
    holding one are not read further, so a formula gets this message and no other."""
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    rows: set[int] = set()
    for cells in ws.iter_rows():
        for cell in cells:
            value = cell.value
            if cell.data_type == "f" or isinstance(value, ArrayFormula | DataTableFormula):
                formula = value.text if isinstance(value, ArrayFormula) else str(value)
                args = {"formula": _shorten(formula)}
                problems.append(Problem(f"{where}{cell.coordinate}", "workbook.formula", args))
                rows.add(cell.row)
    return rows


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Mismatch:
    """One way a list of names (sheets, headers) differs from the one exported."""

    kind: str  # "renamed", "missing", "extra" or "order"
    position: int  # where it is (or, missing, where it belongs), from 0
    found: str
    expected: str

    def args(self, expected: Sequence[str]) -> dict[str, Any]:
        return {"found": self.found, "expected": self.expected,
                "position": self.position + 1, "order": ", ".join(expected)}  # fmt: skip


def mismatches(found: Sequence[str], expected: Sequence[str]) -> list[Mismatch]:
    """Names that are not where they were exported. An unknown name where a missing one
    belongs is a rename; a list with the right names in another order is reported once,
    at the first name out of place."""
    seen: set[str] = set()
    extra: list[int] = []
    for index, name in enumerate(found):
        if name not in expected or name in seen:
            extra.append(index)
        seen.add(name)
    missing = [name for name in expected if name not in seen]
    result: list[Mismatch] = []
    for index in extra:
        belongs = expected[index] if index < len(expected) else None
        if belongs is not None and belongs in missing:
            missing.remove(belongs)
            result.append(Mismatch("renamed", index, found[index], belongs))
        else:
            result.append(Mismatch("extra", index, found[index], ""))
    result += [Mismatch("missing", expected.index(name), "", name) for name in missing]
    if not result and list(found) != list(expected):
        index = next(i for i, (a, b) in enumerate(zip(found, expected, strict=True)) if a != b)
        result.append(Mismatch("order", index, found[index], expected[index]))
    return sorted(result, key=lambda m: m.position)


# Parsing input cells.


def parse_choice(row: SheetRow, key: str, problems: list[Problem]) -> str | None:
    column = row.sheet.column(key)
    raw = _text(row.value(key))
    if raw is None:
        problems.append(
            Problem(row.where(key), "import.empty", {"column": column.header(row.lang)})
        )
        return None
    value = choice_lookup(column.kind).get(raw.casefold())
    if value is None:
        from opsbook.exports.tables import choice_labels

        choices = {
            lang: ", ".join(choice_labels(column.kind, Labels(lang))) for lang in ("en", "zh-CN")
        }
        problems.append(
            Problem(row.where(key), "import.choice", {"value": raw, "choices": choices})
        )
    return value


def parse_date(row: SheetRow, key: str, problems: list[Problem]) -> dt.date | None:
    raw = row.value(key)
    if isinstance(raw, dt.datetime) and raw.time() == dt.time(0):
        return raw.date()
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    text = _text(raw)
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        problems.append(Problem(row.where(key), "import.date", {"value": text}))
        return None


def parse_number(row: SheetRow, key: str, problems: list[Problem]) -> float | None:
    from opsbook.edit.sources.values import parse_number as number

    raw = row.value(key)
    if _text(raw) is None and not isinstance(raw, int | float):
        return None
    column = row.sheet.column(key).header(row.lang)
    value = number(raw, column, row.where(key))
    if isinstance(value, Problem):
        problems.append(value)
        return None
    return value


def parse_person(imp: Import, row: SheetRow, key: str) -> str | None:
    text = _text(row.value(key))
    if text is None:
        column = row.sheet.column(key).header(row.lang)
        imp.problems.append(Problem(row.where(key), "import.empty", {"column": column}))
        return None
    match = _PERSON.search(text)
    candidate = match.group(1).strip() if match else text
    people = imp.catalog.team.people
    if candidate in people:
        return candidate
    by_name = [p.id for p in people.values() if p.name == text]
    if len(by_name) == 1:
        return by_name[0]
    imp.problems.append(Problem(row.where(key), "import.person", {"value": text}))
    return None


def parse_lines(row: SheetRow, key: str) -> list[str]:
    text = _text(row.value(key))
    return [line.strip() for line in text.split("\n") if line.strip()] if text else []


# Read-only columns must not have been edited.


def check_read_only(imp: Import, row: SheetRow, exported: Mapping[str, Any], file: str) -> None:
    labels = Labels(row.lang)
    for column in row.sheet.columns:
        if column.role is not Role.READ or column.key not in row.cells:
            continue
        expected = _normal(display(column, exported.get(column.key), labels))
        if _normal(row.value(column.key)) != expected:
            args = {"column": column.header(row.lang), "file": file}
            imp.problems.append(Problem(row.where(column.key), "import.read-only", args))


def exported_row(imp: Import, row: SheetRow) -> dict[str, Any] | None:
    """The row as the export writes it now (indexed once per sheet and language)."""
    id_keys = [c.key for c in row.sheet.columns if c.role is Role.ID]
    key = (row.sheet.key, row.lang)
    if key not in imp.exported:
        rows = row.sheet.rows(imp.catalog, Labels(row.lang))
        imp.exported[key] = {tuple(_normal(r[k]) for k in id_keys): r for r in rows}
    return imp.exported[key].get(tuple(_normal(row.value(k)) for k in id_keys))


# The sheets.


def _item_index(scenario: Scenario, kind: str, item_id: str | None) -> int | None:
    items = getattr(scenario, kind)
    return next((i for i, item in enumerate(items) if item.id == item_id), None)


def _locate(imp: Import, row: SheetRow, kind: str, id_key: str) -> tuple[Scenario, int] | None:
    scenario = imp.scenario(row)
    if scenario is None:
        return None
    item_id = _text(row.value(id_key))
    index = _item_index(scenario, kind, item_id)
    if index is None:
        args = {"scenario": scenario.id, "id": item_id or "", "kind": kind}
        imp.problems.append(Problem(row.where(id_key), "import.no-item", args))
        return None
    exported = exported_row(imp, row)
    if exported is not None:
        check_read_only(imp, row, exported, scenario.file)
    return scenario, index


def _set(imp: Import, scenario: Scenario, path: tuple[Any, ...], key: str, value: Any) -> None:
    """Set one scalar of the scenario (an edit plus the data the file must then hold)."""
    opened = imp.open(scenario)
    mapping = node_at(opened.root, path)
    assert isinstance(mapping, MappingNode)
    opened.edits.append(set_scalar(opened.text, mapping, key, value))
    target = opened.expected
    for part in path:
        target = target[part]
    target[key] = value.isoformat() if isinstance(value, dt.date) else value


def import_action(imp: Import, row: SheetRow) -> None:
    found = _locate(imp, row, "actions", "action_id")
    status = parse_choice(row, "status", imp.problems)
    if found is None or status is None:
        return
    scenario, index = found
    action = scenario.actions[index]
    if status != action.status:
        _set(imp, scenario, ("actions", index), "status", status)
        imp.note("import.status", item=f"{scenario.id}/{action.id}", old=action.status, new=status)


def import_anomaly(imp: Import, row: SheetRow) -> None:
    found = _locate(imp, row, "anomalies", "anomaly_id")
    status = parse_choice(row, "status", imp.problems)
    closed = parse_date(row, "closed", imp.problems)
    if found is None or status is None:
        return
    scenario, index = found
    anomaly = scenario.anomalies[index]
    if status != anomaly.status:
        _set(imp, scenario, ("anomalies", index), "status", status)
        imp.note(
            "import.status", item=f"{scenario.id}/{anomaly.id}", old=anomaly.status, new=status
        )
    if closed != anomaly.closed:
        if closed is None:
            imp.problems.append(Problem(row.where("closed"), "import.clear", {}))
            return
        _set(imp, scenario, ("anomalies", index), "closed", closed)
        imp.note("import.closed", item=f"{scenario.id}/{anomaly.id}", date=closed.isoformat())


def import_metric(imp: Import, row: SheetRow) -> None:
    found = _locate(imp, row, "metrics", "metric_id")
    problems = len(imp.problems)
    updated = parse_date(row, "updated", imp.problems)
    actual = parse_number(row, "actual", imp.problems)
    cause = _text(row.value("cause"))
    if found is None or len(imp.problems) > problems:
        return
    scenario, index = found
    state = imp.catalog.state(scenario.id).metric(scenario.metrics[index].id)
    assert state is not None
    if (updated, actual, cause) == (state.updated, state.actual, state.cause):
        return
    if updated is None or actual is None:
        key = "updated" if updated is None else "actual"
        imp.problems.append(Problem(row.where(key), "import.actual", {}))
        return
    if cause is None and state.cause is not None and updated == state.updated:
        imp.problems.append(Problem(row.where("cause"), "import.clear", {}))
        return
    opened = imp.open(scenario)
    metric_node = node_at(opened.root, ("metrics", index))
    current = opened.expected["metrics"][index].get("observations", [])
    merged = merge_observations(opened.text, metric_node, current, [Row(updated, actual, cause)])  # type: ignore[arg-type]
    opened.edits += merged.edits
    if merged.touched:
        opened.expected["metrics"][index]["observations"] = list(merged.expected)
        shown = f"{actual:g}" if cause is None else f"{actual:g} ({cause})"
        imp.note(
            "import.observation",
            item=f"{scenario.id}/{scenario.metrics[index].id}",
            date=updated.isoformat(),
            value=shown,
        )


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
        if value is None and key in row.cells and _text(row.value(key)) is None:
            column = row.sheet.column(key).header(row.lang)
            imp.problems.append(Problem(row.where(key), "import.empty", {"column": column}))
    kind = "cycle" if _text(row.value("kind")) is None else parse_choice(row, "kind", imp.problems)
    attainment = _text(row.value("attainment"))
    if attainment is None and "attainment" in row.cells:
        column = row.sheet.column("attainment").header(row.lang)
        imp.problems.append(Problem(row.where("attainment"), "import.empty", {"column": column}))
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
        imp.problems.append(Problem(row.where("scenario_id"), "edit.unsafe", {}))
        return
    opened.expected.setdefault("reviews", []).append(review.data())


def import_needs(imp: Import, row: SheetRow) -> None:
    """T1 has no input column: a row is only checked for edits that would be lost."""
    scenario = imp.scenario(row)
    exported = exported_row(imp, row) if scenario is not None else None
    if scenario is not None and exported is not None:
        check_read_only(imp, row, exported, scenario.file)


HANDLERS = {
    "needs": import_needs,
    "actions": import_action,
    "anomalies": import_anomaly,
    "metrics": import_metric,
    "reviews": import_review,
}


# The command.


@dataclass(frozen=True)
class ImportResult:
    done: tuple[Problem, ...]
    changes: tuple[FileChange, ...]
    problems: tuple[Problem, ...]


def _workbook_as_of(path: Path) -> dt.date | None:
    """The as-of date the export stamped on the workbook (its "created" property)."""
    from openpyxl import load_workbook

    try:
        created = load_workbook(path, read_only=True).properties.created
    except Exception:  # reported properly when the rows are read
        return None
    return created.date() if isinstance(created, dt.datetime) else None


def import_xlsx(
    workbook: Path, paths: Sequence[Path], team_file: Path | None, as_of: dt.date | None
) -> ImportResult | CheckResult:
    """Plan the import: every change and every problem; nothing is written here."""
    day = as_of or _workbook_as_of(workbook) or dt.date.today()
    from opsbook.support.cache import Cache, default_cache_dir

    cache = Cache(default_cache_dir())
    catalog, checked = load_catalog(paths, as_of=day, team_file=team_file, cache=cache)
    if catalog is None:
        return checked
    imp = Import(catalog, ChangeSet())
    seen: dict[tuple[Any, ...], int] = {}
    for row in read_rows(workbook, display_path(workbook), imp.problems):
        ids = (
            row.sheet.key,
            *(_normal(row.value(c.key)) for c in row.sheet.columns if c.role is Role.ID),
        )
        if ids in seen:
            imp.problems.append(
                Problem(row.where("scenario_id"), "import.duplicate-row", {"row": seen[ids]})
            )
            continue
        seen[ids] = row.number
        if row.sheet.key in HANDLERS:
            HANDLERS[row.sheet.key](imp, row)
    if imp.problems:
        return ImportResult((), (), tuple(imp.problems))
    changes, invalid = imp.changes.finish(team_index(paths, team_file))
    return ImportResult(tuple(imp.done), tuple(changes), tuple(invalid))


def run_import(
    workbook: Path, paths: Sequence[Path], team_file: Path | None, lang: str, dry_run: bool,
    as_of: dt.date | None = None,
) -> tuple[str, int]:  # fmt: skip
    from opsbook.check.reporters import REPORTERS
    from opsbook.edit.changeset import write_changes
    from opsbook.edit.sources.texts import text

    result = import_xlsx(workbook, paths, team_file, as_of)
    if isinstance(result, CheckResult):
        return REPORTERS["text"](result, lang), 1
    lines = [note.message(lang) for note in result.done]
    if result.problems:
        lines += summarised(result.problems, display_path(workbook), lang)
        lines.append(text("pull.failed", lang, errors=len(result.problems)))
        return "\n".join(lines) + "\n", 1
    if dry_run:
        lines += [c.diff().rstrip("\n") for c in result.changes]
        lines.append(text("pull.dry-run", lang))
    elif result.changes:
        try:
            write_changes(result.changes)
        except OSError as error:
            return Problem("", "write.failed", {"reason": str(error)}).render(lang) + "\n", 1
        lines.append(
            text("import.written", lang, changes=len(result.done), files=len(result.changes))
        )
    else:
        lines.append(text("pull.nothing", lang))
    return "\n".join(lines) + "\n", 0


SHOWN_OF_A_KIND = 5  # problems of one kind in one sheet listed before the rest are counted


@dataclass
class _Kind:
    """Problems of one code in one sheet: how many, the first, and the line counting the
    rest (once there is a rest)."""

    first: str
    count: int = 0
    line: int | None = None


def summarised(problems: Sequence[Problem], shown: str, lang: str) -> list[str]:
    """The problems as lines, the first few of each kind in each sheet in full and the rest
    counted where the next would be: 10,000 pasted rows with one mistake give a short
    report, not 10,000 lines."""
    from opsbook.edit.sources.texts import text

    lines: list[str] = []
    kinds: dict[tuple[str, str], _Kind] = {}
    for problem in problems:
        sheet = _sheet_in(problem.where, shown)
        kind = kinds.setdefault((sheet or "", problem.code), _Kind(problem.where))
        kind.count += 1
        if sheet is None or kind.count <= SHOWN_OF_A_KIND:
            lines.append(problem.render(lang))
        elif kind.line is None:
            kind.line = len(lines)
            lines.append("")  # filled in once the count is known
    for (sheet, _code), kind in kinds.items():
        if kind.line is not None:
            more = f"{kind.count - SHOWN_OF_A_KIND:,}"
            lines[kind.line] = text(
                "workbook.more", lang, count=more, first=kind.first, sheet=sheet
            )
    return lines


def _sheet_in(where: str, shown: str) -> str | None:
    """The sheet a located problem is in (``review.xlsx!T2 actions!K7`` → ``T2 actions``)."""
    prefix = f"{shown}!"
    if not where.startswith(prefix) or "!" not in where[len(prefix) :]:
        return None
    return where[len(prefix) :].rpartition("!")[0]
