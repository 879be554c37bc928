"""``opsbook new``: a new scenario file from one of the four industry families of the method.

Templates are YAML files in ``templates/new/`` (``<industry>.<lang>.yaml``) with ``${...}``
placeholders for the id, title, owner and the dates of the cycle. The user's values are
inserted as YAML scalars (quoted when YAML would read them differently), in a single pass, so
text such as ``${x}`` or ``: #`` in a title stays text. Every template passes
``opsbook check --strict``; a test proves it for all families and both languages.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml

from opsbook.check.run import display_path
from opsbook.check.schema import SCENARIO_SCHEMA, load_schema
from opsbook.i18n.messages import Text
from opsbook.support.atomic import create_new
from opsbook.support.errors import OpsbookError

FAMILIES: dict[str, Text] = {
    "ecommerce": Text("E-commerce: user tiering", "电商：用户分层运营"),
    "saas": Text("SaaS: customer success", "SaaS：客户成功"),
    "local-services": Text("Local services: store traffic", "本地生活：门店引流转化"),
    "content": Text("Content platform: creators", "内容平台：创作者生态"),
}
DEFAULTS: dict[str, tuple[str, Text]] = {  # family → (suggested id, suggested title)
    "ecommerce": ("new-user-first-order", Text("New-user first order", "新用户首单转化")),
    "saas": ("trial-to-paid", Text("Trial to paid conversion", "试用转付费")),
    "local-services": ("groupbuy-store-traffic", Text("Group-buy store traffic", "团购到店引流")),
    "content": ("creator-cold-start", Text("Creator cold start", "新创作者冷启动")),
}
CYCLE_DAYS = 30
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_MAX_TITLE = 120
T = TypeVar("T")


class ScaffoldError(OpsbookError):
    """The scenario cannot be made as asked (exit code 1); the message says why."""


@dataclass(frozen=True)
class NewScenario:
    industry: str
    scenario_id: str
    title: str
    owner: str
    lang: str
    start: dt.date


def template_text(industry: str, lang: str) -> str:
    folder = resources.files("opsbook.edit") / "templates" / "new"
    return (folder / f"{industry}.{lang}.yaml").read_text(encoding="utf-8")


def yaml_scalar(text: str) -> str:
    """``text`` as one YAML scalar that reads back as exactly ``text`` (PyYAML decides
    whether plain style is safe, and quotes what YAML would turn into a date or a number)."""
    dumped = yaml.safe_dump({"k": text}, allow_unicode=True, width=1 << 30)
    return dumped[len("k: ") :].rstrip("\n").removesuffix("\n...")


def schema_reference(target: Path, root: Path) -> str:
    """The modeline's schema: the project's ``schema/scenario.schema.json`` relative to the
    new file (works in VS Code with the repository open), else the schema's ``$id`` URL."""
    local = root / "schema" / SCENARIO_SCHEMA
    if local.is_file():
        return Path(os.path.relpath(local, target.parent)).as_posix()
    return str(load_schema(SCENARIO_SCHEMA)["$id"])


# Each template's module, in its language: written as it is where the team directory lists
# no modules, else as the id of the listed module with this name (or of the industry's first).
TEMPLATE_MODULES: dict[str, tuple[str, str]] = {
    "ecommerce": ("用户增长", "User growth"),
    "saas": ("客户成功", "Customer success"),
    "local-services": ("门店运营", "Store operations"),
    "content": ("创作者生态", "Creator ecosystem"),
}


def module_for(industry: str, lang: str, modules: list[dict[str, Any]]) -> str:
    """The ``module:`` a new scenario starts with (see ``TEMPLATE_MODULES``)."""
    zh, en = TEMPLATE_MODULES[industry]
    if not modules:
        return zh if lang == "zh-CN" else en
    named = [m for m in modules if {m.get("name"), m.get("name_en")} & {zh, en}]
    same_industry = [m for m in modules if m.get("industry") == industry]
    return str((named or same_industry or modules)[0]["id"])


def team_modules(team_file: Path) -> list[dict[str, Any]]:
    """The team directory's modules list (empty when it has none or cannot be read)."""
    try:
        data = yaml.safe_load(team_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    modules = data.get("modules") if isinstance(data, dict) else None
    if not isinstance(modules, list):
        return []
    return [m for m in modules if isinstance(m, dict) and "id" in m]


def render(spec: NewScenario, schema: str, modules: list[dict[str, Any]] | None = None) -> str:
    days = {f"d{n}": spec.start + dt.timedelta(days=n) for n in range(CYCLE_DAYS)}
    values = {key: day.isoformat() for key, day in days.items()}
    values |= {f"m{key}": f"{day.month:02d}-{day.day:02d}" for key, day in days.items()}
    values |= {
        "schema": schema,
        "id": spec.scenario_id,
        "title": yaml_scalar(spec.title),
        "owner": yaml_scalar(spec.owner),
        "module": yaml_scalar(module_for(spec.industry, spec.lang, modules or [])),
        "start": spec.start.isoformat(),
        "end": (spec.start + dt.timedelta(days=CYCLE_DAYS - 1)).isoformat(),
    }
    return string.Template(template_text(spec.industry, spec.lang)).substitute(values)


# Validation of the answers (flags or prompts), with messages in the user's language.


def check_id(value: str, folder: Path, lang: str, base: Path) -> str:
    """``base``: what the paths in messages are relative to (the folder opsbook runs in)."""
    value = value.strip()
    if not ID_PATTERN.match(value) or len(value) > 80:
        raise ScaffoldError(
            Text(
                f"'{value}' is not a valid id: use lowercase letters, digits and hyphens, "
                "e.g. new-user-first-order",
                f"“{value}”不是有效的 id：请使用小写字母、数字和连字符，如 new-user-first-order",
            ).get(lang)
        )
    if (folder / f"{value}.yaml").exists() or (folder / f"{value}.yml").exists():
        raise ScaffoldError(
            Text(
                f"{display_path(folder / value, base)}.yaml already exists: choose another id "
                "(opsbook new never overwrites)",
                f"{display_path(folder / value, base)}.yaml 已存在：请换一个 id（opsbook new 不会覆盖文件）",
            ).get(lang)
        )
    return value


def check_title(value: str, lang: str) -> str:
    value = value.strip()
    if not value or len(value) > _MAX_TITLE or any(ch < " " for ch in value):
        raise ScaffoldError(
            Text(
                f"the title must be one line of 1–{_MAX_TITLE} characters",
                f"标题必须是一行 1–{_MAX_TITLE} 个字符的文字",
            ).get(lang)
        )
    return value


def check_owner(value: str, people: dict[str, str], lang: str) -> str:
    value = value.strip()
    if value in people:
        return value
    close = difflib.get_close_matches(value, list(people), n=1)
    hint = Text(f"Did you mean '{close[0]}'?", f"是否想写“{close[0]}”？") if close else None
    known = ", ".join(people) or "—"
    raise ScaffoldError(
        Text(
            f"'{value}' is not in the team directory ({known}). {hint.en if hint else ''}",
            f"“{value}”不在团队名录中（{known}）。{hint.zh if hint else ''}",
        )
        .get(lang)
        .strip()
    )


def team_people(team_file: Path, lang: str, base: Path) -> dict[str, str]:
    """Person id → name from the team directory, which every owner must be listed in."""
    try:
        data = yaml.safe_load(team_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        data = None
    people = data.get("people") if isinstance(data, dict) else None
    if not isinstance(people, list):
        raise ScaffoldError(
            Text(
                f"no usable team directory at {display_path(team_file, base)}: create it first "
                "(opsbook check explains what it needs)",
                f"{display_path(team_file, base)} 没有可用的团队名录：请先创建（opsbook check 会说明所需内容）",
            ).get(lang)
        )
    return {
        str(p["id"]): str(p.get("name", p["id"]))
        for p in people
        if isinstance(p, dict) and "id" in p
    }


def write_new(path: Path, text: str, lang: str, base: Path) -> None:
    """Create ``path`` whole, never replacing a file."""
    try:
        create_new(path, text.encode("utf-8"))
    except FileExistsError:
        raise ScaffoldError(
            Text(
                f"{display_path(path, base)} already exists: opsbook new never overwrites",
                f"{display_path(path, base)} 已存在：opsbook new 不会覆盖文件",
            ).get(lang)
        ) from None


# Asking: flags first, prompts for what is missing (on a terminal, or with --interactive).


@dataclass(frozen=True)
class Answers:
    industry: str | None
    scenario_id: str | None
    title: str | None
    owner: str | None
    lang: str | None
    start: str | None  # YYYY-MM-DD, checked like a prompt's answer


def missing(answers: Answers) -> list[str]:
    """The flags a non-interactive run lacks (title and start have defaults)."""
    flags = {"--industry": answers.industry, "--id": answers.scenario_id, "--owner": answers.owner}
    return [flag for flag, value in flags.items() if value is None]


def complete(
    answers: Answers,
    *,
    folder: Path,
    base: Path,
    people: dict[str, str],
    default_lang: str,
    today: dt.date,
    interactive: bool,
) -> NewScenario:
    """Fill the gaps — by asking when ``interactive``, else with defaults — and validate."""
    lang = answers.lang or (_ask_lang(default_lang) if interactive else default_lang)
    industry = answers.industry or _ask_industry(lang)
    suggested_id, suggested_title = DEFAULTS[industry]
    ask = _Asker(lang, interactive)
    scenario_id = ask(
        answers.scenario_id, Text("Scenario id", "场景 id"), suggested_id,
        lambda v: check_id(v, folder, lang, base),
    )  # fmt: skip
    title = ask(
        answers.title, Text("Title", "场景名称"), suggested_title.get(lang),
        lambda v: check_title(v, lang),
    )  # fmt: skip
    if answers.owner is None and interactive:
        _show_people(people, lang)
    owner = ask(
        answers.owner, Text("Owner", "负责人"), None, lambda v: check_owner(v, people, lang)
    )
    start = ask(
        answers.start, Text("Cycle start", "周期开始日期"),
        today.isoformat(), lambda v: _date(v, lang),
    )  # fmt: skip
    return NewScenario(industry, scenario_id, title, owner, lang, start)


@dataclass(frozen=True)
class _Asker:
    lang: str
    interactive: bool

    def __call__(
        self, given: str | None, label: Text, default: str | None, check: Callable[[str], T]
    ) -> T:
        """The given value checked; else the answer to a prompt (asked again until it passes
        the check); else the default."""
        import click

        if given is not None:
            return check(given)
        if not self.interactive:
            if default is None:
                raise ScaffoldError(label.get(self.lang))
            return check(default)

        def proc(value: str) -> T:
            try:
                return check(value)
            except ScaffoldError as error:
                raise click.UsageError(str(error)) from None

        return click.prompt(label.get(self.lang), default=default, value_proc=proc)


def _ask_lang(default: str) -> str:
    import click

    choice = click.Choice(["zh-CN", "en"])
    return click.prompt("Language / 语言", type=choice, default=default)


def _ask_industry(lang: str) -> str:
    import click

    for key, label in FAMILIES.items():
        click.echo(f"  {key:<15} {label.get(lang)}")
    label = Text("Industry family", "行业场景").get(lang)
    return click.prompt(label, type=click.Choice(list(FAMILIES)), show_choices=False)


def _show_people(people: dict[str, str], lang: str) -> None:
    import click

    click.echo(Text("People in the team directory:", "团队名录中的人员：").get(lang))
    for person_id, name in people.items():
        click.echo(f"  {person_id:<15} {name}")


def _date(value: str, lang: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ScaffoldError(
            Text(
                f"'{value}' is not a date: write YYYY-MM-DD",
                f"“{value}”不是日期：请写成 YYYY-MM-DD",
            ).get(lang)
        ) from None


def created_message(target: Path, lang: str, base: Path) -> str:
    shown = display_path(target, base)
    return Text(
        f"created {shown}\nnext: fill in your scenario, then run opsbook check --strict {shown}",
        f"已创建 {shown}\n下一步：填写场景内容，然后运行 opsbook check --strict {shown}",
    ).get(lang)
