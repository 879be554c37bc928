"""Each platform's message format, and long digests split to its size limit.

A digest longer than a platform accepts is cut at line boundaries (a line longer than a whole
message at character boundaries), in order, each part's title marked (1/3), (2/3)…
User text is data: in Markdown it is escaped, in Feishu posts and JSON it is plain text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from opsbook.model import Person
from opsbook.notify.document import Document, Line, Link, Mention, Span
from opsbook.notify.messages import say

Payload = dict[str, Any]
FEISHU_LIMIT = 20 * 1024  # bytes of the request body
DINGTALK_LIMIT = 20_000  # bytes of the request body
WECOM_LIMIT = 4096  # bytes of the markdown content (UTF-8)
_SIGNATURE_ROOM = 120  # Feishu's timestamp and sign fields, added when sending
_MARKER_ROOM = 24  # "（99/99）" in the title
_MARKDOWN = re.compile(r"([\\`*_\[\]<>#~|])")

# Where each platform finds a person's id in the team directory, in order of preference.
CHAT_FIELDS: dict[str, tuple[str, ...]] = {
    "feishu": ("feishu",),
    "dingtalk": ("dingtalk", "dingtalk_mobile"),
    "wecom": ("wecom",),
}


def chat_id(person: Person, kind: str) -> tuple[str, str] | None:
    """(field, id) of the person on this platform; None when the directory has none."""
    for name in CHAT_FIELDS.get(kind, ()):
        if person.chat.get(name):
            return name, person.chat[name]
    return None


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def body_bytes(payload: Payload) -> bytes:
    """The request body as sent (compact UTF-8 JSON: the platforms count these bytes)."""
    return _dumps(payload).encode("utf-8")


def _plain(span: Span) -> str:
    if isinstance(span, Mention):
        return f"@{span.person.name}"
    return span.text if isinstance(span, Link) else span


def plain_text(line: Line) -> str:
    return "".join(_plain(s) for s in line.spans)


# Splitting.


def split(lines: Sequence[Line], cost: Callable[[Line], int], budget: int) -> list[list[Line]]:
    """Lines into parts whose costs add up to at most ``budget``, in order."""
    parts: list[list[Line]] = [[]]
    used = 0
    for line in _fitted(lines, cost, budget):
        needed = cost(line)
        if parts[-1] and used + needed > budget:
            parts.append([])
            used = 0
        parts[-1].append(line)
        used += needed
    return parts


def _fitted(lines: Sequence[Line], cost: Callable[[Line], int], budget: int) -> Iterator[Line]:
    """Each line, or its text in pieces when it alone exceeds the budget."""
    for line in lines:
        if cost(line) <= budget:
            yield line
            continue
        empty = cost(Line(line.style, ("",)))
        piece, used = "", empty
        for char in plain_text(line):
            extra = cost(Line(line.style, (char,))) - empty
            if piece and used + extra > budget:
                yield Line(line.style, (piece,))
                piece, used = "", empty
            piece, used = piece + char, used + extra
        yield Line(line.style, (piece,))


def _titles(document: Document, count: int) -> list[str]:
    if count == 1:
        return [document.title]
    return [document.title + say("part", document.lang, number=n, total=count)
            for n in range(1, count + 1)]  # fmt: skip


def _parts(
    document: Document, cost: Callable[[Line], int], budget: int
) -> list[tuple[str, list[Line]]]:
    parts = split(document.lines, cost, budget)
    return list(zip(_titles(document, len(parts)), parts, strict=True))


# Feishu (Lark): a rich-text post.


def _feishu_element(span: Span) -> dict[str, Any]:
    if isinstance(span, Mention):
        found = chat_id(span.person, "feishu")
        if found:
            return {"tag": "at", "user_id": found[1]}
    if isinstance(span, Link):
        return {"tag": "a", "text": span.text, "href": span.href}
    return {"tag": "text", "text": _plain(span)}


def _feishu_paragraph(line: Line) -> list[dict[str, Any]]:
    elements = [_feishu_element(s) for s in line.spans]
    if line.style == "heading":
        return [{**e, "style": ["bold"]} if e["tag"] == "text" else e for e in elements]
    return [{"tag": "text", "text": "• "}, *elements] if line.style == "item" else elements


def _feishu_post(document: Document, title: str, lines: list[Line]) -> Payload:
    language = "zh_cn" if document.lang == "zh-CN" else "en_us"
    content = [_feishu_paragraph(line) for line in lines]
    return {
        "msg_type": "post",
        "content": {"post": {language: {"title": title, "content": content}}},
    }


def feishu(document: Document) -> list[Payload]:
    envelope = len(body_bytes(_feishu_post(document, document.title, [])))
    budget = FEISHU_LIMIT - envelope - _SIGNATURE_ROOM - _MARKER_ROOM

    def cost(line: Line) -> int:
        return len(_dumps(_feishu_paragraph(line)).encode("utf-8")) + 1

    return [_feishu_post(document, t, part) for t, part in _parts(document, cost, budget)]


# DingTalk and WeCom: Markdown.


def escape_markdown(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", text)


def _markdown_span(span: Span, kind: str) -> str:
    if isinstance(span, Mention):
        found = chat_id(span.person, kind)
        if found:
            return f"<@{found[1]}>" if kind == "wecom" else f"@{found[1]}"
    if isinstance(span, Link):
        return f"[{escape_markdown(span.text)}]({span.href})"
    return escape_markdown(_plain(span))


def markdown_line(line: Line, kind: str) -> str:
    text = "".join(_markdown_span(s, kind) for s in line.spans)
    if line.style == "heading":
        return f"#### {text}" if kind == "dingtalk" else f"**{text}**"
    return f"- {text}" if line.style == "item" else text


def _dingtalk_message(document: Document, title: str, lines: list[Line]) -> Payload:
    mentions = [chat_id(p, "dingtalk") for line in lines for p in line.mentions]
    found = [m for m in dict.fromkeys(mentions) if m is not None]
    text = "\n\n".join(
        [f"### {escape_markdown(title)}"] + [markdown_line(x, "dingtalk") for x in lines]
    )
    at = {
        "atMobiles": [i for f, i in found if f == "dingtalk_mobile"],
        "atUserIds": [i for f, i in found if f == "dingtalk"],
        "isAtAll": False,
    }
    return {"msgtype": "markdown", "markdown": {"title": title, "text": text}, "at": at}


def dingtalk(document: Document) -> list[Payload]:
    envelope = len(body_bytes(_dingtalk_message(document, document.title, [])))
    budget = DINGTALK_LIMIT - envelope - _MARKER_ROOM * 2

    def cost(line: Line) -> int:
        ids = [chat_id(p, "dingtalk") for p in line.mentions]
        mention_room = sum(len(_dumps(i[1]).encode("utf-8")) + 1 for i in ids if i)
        return len(_dumps(markdown_line(line, "dingtalk")).encode("utf-8")) + 2 + mention_room

    return [_dingtalk_message(document, t, part) for t, part in _parts(document, cost, budget)]


def _wecom_message(title: str, lines: list[Line]) -> Payload:
    content = "\n".join(
        [f"**{escape_markdown(title)}**"] + [markdown_line(x, "wecom") for x in lines]
    )
    return {"msgtype": "markdown", "markdown": {"content": content}}


def wecom(document: Document) -> list[Payload]:
    header = len(f"**{escape_markdown(document.title)}**".encode())
    budget = WECOM_LIMIT - header - _MARKER_ROOM

    def cost(line: Line) -> int:
        return len(markdown_line(line, "wecom").encode("utf-8")) + 1

    return [_wecom_message(t, part) for t, part in _parts(document, cost, budget)]


# The generic JSON webhook (schema/notify-webhook.schema.json) and e-mail: one message each.


def _person(person: Person) -> dict[str, Any]:
    found = {"id": person.id, "name": person.name, "chat": dict(sorted(person.chat.items()))}
    return found | ({"email": person.email} if person.email else {})


def webhook(document: Document) -> list[Payload]:
    lines = [
        {
            "style": line.style, "text": plain_text(line),
            "mentions": [p.id for p in line.mentions],
            "links": [{"text": s.text, "href": s.href} for s in line.spans if isinstance(s, Link)],
        }
        for line in document.lines
    ]  # fmt: skip
    people = {p.id: p for line in document.lines for p in line.mentions}
    return [{
        "source": "opsbook", "digest": document.digest, "lang": document.lang,
        "as_of": document.as_of, "title": document.title,
        "recipient": _person(document.recipient) if document.recipient else None,
        "lines": lines, "mentions": [_person(p) for p in people.values()],
    }]  # fmt: skip


def email(document: Document) -> list[Payload]:
    lines = []
    for line in document.lines:
        text = plain_text(line) + "".join(f" <{s.href}>" for s in line.spans if isinstance(s, Link))
        lines.append(
            f"\n{text}"
            if line.style == "heading"
            else ("  • " if line.style == "item" else "") + text
        )
    return [{"subject": document.title, "text": "\n".join(lines).lstrip("\n") + "\n"}]


RENDERERS: dict[str, Callable[[Document], list[Payload]]] = {
    "feishu": feishu, "dingtalk": dingtalk, "wecom": wecom, "webhook": webhook, "email": email,
}  # fmt: skip
