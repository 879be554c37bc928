"""The shape of a catalog entry: a text in both languages, and a message with its hint."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    en: str
    zh: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh-CN" else self.en


@dataclass(frozen=True)
class Entry:
    message: Text
    hint: Text


def entry(en: str, zh: str, hint_en: str, hint_zh: str) -> Entry:
    return Entry(Text(en, zh), Text(hint_en, hint_zh))
