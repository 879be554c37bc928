"""``opsbook notify`` from flags to messages: settings, check, digest, render, send, summary.

Every channel is tried even when another fails; the summary says, per channel, what was sent
and why the rest was not. Secrets are removed from everything printed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from opsbook.config import ProjectSettings, read_project_settings
from opsbook.model.catalog import Catalog
from opsbook.notify import digest as digests
from opsbook.notify.channels import REDACTED, Sender, SendError
from opsbook.notify.config import Channel, NotifySettings, read_settings
from opsbook.notify.document import Document, daily_document, weekly_document
from opsbook.notify.messages import say
from opsbook.notify.render import CHAT_FIELDS, RENDERERS, Payload, chat_id


@dataclass(frozen=True)
class NotifyRequest:
    digest: str
    channels: tuple[str, ...] = ()
    as_of: str | None = None
    lang: str | None = None
    dry_run: bool = False


@dataclass(frozen=True)
class Outgoing:
    payload: Payload
    recipients: tuple[str, ...] = ()  # e-mail only


@dataclass
class Outcome:
    channel: Channel
    sent: int = 0
    failure: str | None = None


class Printer:
    """stdout and stderr with every secret value replaced."""

    def __init__(self, secrets: Sequence[str]) -> None:
        self.secrets = sorted(secrets, key=len, reverse=True)

    def clean(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def out(self, text: str) -> None:
        click.echo(self.clean(text))

    def err(self, text: str) -> None:
        click.echo(self.clean(text), err=True)


def run_notify(request: NotifyRequest) -> int:
    root = Path.cwd()
    settings = read_project_settings(root)
    lang = settings.language(request.lang)
    as_of = settings.resolve_as_of(request.as_of)
    site_url = settings.options.get("site_url")
    notify = read_settings(settings.options, site_url, os.environ, lang)
    printer = Printer(notify.secrets)
    channels, errors = _selected(notify, request, lang)
    for message in errors:
        printer.err(say("error", lang, detail=message))
    if not channels:
        return 1
    catalog = _catalog(settings, as_of, lang, printer)
    if catalog is None:
        return 1
    outcomes, problems = _deliver(catalog, notify, channels, request, lang, printer)
    _summary(outcomes, [e for e in errors if e], request.dry_run, lang, printer, notify)
    return 1 if errors or problems or any(o.failure for o in outcomes) else 0


def _selected(
    notify: NotifySettings, request: NotifyRequest, lang: str
) -> tuple[list[Channel], list[str]]:
    """The channels to use, and the configuration errors that concern them."""
    known = [c.name for c in notify.channels] + [name for name, _ in notify.errors if name]
    unknown = [n for n in request.channels if n not in known]
    errors = [say("unknown-channel", lang, name=n, known=", ".join(dict.fromkeys(known)))
              for n in unknown]  # fmt: skip
    wanted = set(request.channels)
    errors += [m for name, m in notify.errors if not wanted or name in wanted or not name]
    if wanted:
        return [c for c in notify.channels if c.name in wanted], errors
    return [c for c in notify.channels if request.digest in c.digests], errors


def _catalog(
    settings: ProjectSettings, as_of: dt.date, lang: str, printer: Printer
) -> Catalog | None:
    from opsbook.check.reporters import report_text
    from opsbook.model.catalog import load_catalog
    from opsbook.support.cache import Cache, default_cache_dir

    catalog, result = load_catalog(
        [settings.scenarios], as_of=as_of, team_file=settings.team,
        cache=Cache(default_cache_dir()), base=settings.root,
    )  # fmt: skip
    if catalog is None:
        printer.err(report_text(result, lang, base=settings.root).rstrip("\n"))
        printer.err(say("not-checked", lang))
    return catalog


def _documents(
    catalog: Catalog, notify: NotifySettings, request: NotifyRequest, lang: str
) -> list[Document]:
    if request.digest == "weekly":
        weekly = digests.weekly(catalog, lang)
        return [weekly_document(weekly, lang, notify.site_url, notify.pack_url)]
    return [daily_document(r, lang, notify.site_url) for r in digests.daily(catalog)]


def _deliver(
    catalog: Catalog, notify: NotifySettings, channels: Sequence[Channel],
    request: NotifyRequest, lang: str, printer: Printer,
) -> tuple[list[Outcome], list[str]]:  # fmt: skip
    documents = _documents(catalog, notify, request, lang)
    if not documents:
        printer.out(say("nobody-due", lang))
    outcomes, problems = [], []
    for channel in channels:
        outgoing, missing = _messages(channel, documents, lang)
        for problem in missing:
            printer.err(say("error", lang, detail=problem))
        problems += missing
        outcomes.append(_send(channel, outgoing, request.dry_run, lang, printer))
    return outcomes, problems


def _messages(
    channel: Channel, documents: Sequence[Document], lang: str
) -> tuple[list[Outgoing], list[str]]:
    """The channel's messages; a daily reminder whose person has no id here is left out."""
    outgoing, missing = [], []
    for document in documents:
        person = document.recipient
        recipients = channel.mail.recipients if channel.mail else ()
        if person is not None and channel.kind in (*CHAT_FIELDS, "email"):
            address = person.email if channel.kind == "email" else chat_id(person, channel.kind)
            if not address:
                fields = " / ".join(CHAT_FIELDS.get(channel.kind, ("email",)))
                missing.append(say("no-chat-id", lang, channel=channel.name, person=person.name,
                                   id=person.id, field=fields))  # fmt: skip
                continue
            recipients = (person.email,) if channel.kind == "email" else recipients
        outgoing += [Outgoing(p, recipients) for p in RENDERERS[channel.kind](document)]
    return outgoing, missing


def _send(
    channel: Channel, outgoing: Sequence[Outgoing], dry_run: bool, lang: str, printer: Printer
) -> Outcome:
    sender, outcome = Sender(channel, lang), Outcome(channel)
    for number, message in enumerate(outgoing, start=1):
        if dry_run:
            header = say("dry-run-header", lang, channel=channel.name, kind=channel.kind,
                         endpoint=sender.endpoint, number=number, total=len(outgoing))  # fmt: skip
            printer.out(header + "\n" + _shown(message))
            outcome.sent += 1
            continue
        try:
            sender.send(message.payload, message.recipients)
        except SendError as error:
            outcome.failure = str(error)
            printer.err(say("error", lang, detail=say("send-failed", lang, channel=channel.name,
                                                      reason=error)))  # fmt: skip
            break
        outcome.sent += 1
    return outcome


def _shown(message: Outgoing) -> str:
    if "subject" in message.payload:
        to = ", ".join(message.recipients)
        return f"To: {to}\nSubject: {message.payload['subject']}\n\n{message.payload['text']}"
    return json.dumps(message.payload, ensure_ascii=False, indent=2) + "\n"


def _summary(
    outcomes: Sequence[Outcome], errors: Sequence[str], dry_run: bool, lang: str,
    printer: Printer, notify: NotifySettings,
) -> None:  # fmt: skip
    printer.out(say("summary", lang))
    for outcome in outcomes:
        channel = outcome.channel
        key = "failed" if outcome.failure else ("would-send" if dry_run else "sent")
        printer.out(say(key, lang, channel=channel.name, kind=channel.kind, count=outcome.sent,
                        reason=outcome.failure))  # fmt: skip
    for name in dict.fromkeys(name for name, _ in notify.errors if name):
        if any(name in e for e in errors):
            printer.out(say("not-configured", lang, channel=name))
