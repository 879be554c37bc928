"""What ``opsbook build`` and ``opsbook export`` say while they write a folder (build. codes)."""

from __future__ import annotations

from collections.abc import Mapping

from opsbook.i18n.catalog.base import Text

BUILD: Mapping[str, Text] = {
    "build.waiting": Text(
        "opsbook: waiting for another build of {site} (pid {pid})…",
        "opsbook：另一次构建（进程 {pid}）正在生成 {site}，等它完成…",
    ),
    "build.waiting-unknown": Text(
        "opsbook: waiting for another build of {site}…",
        "opsbook：另一次构建正在生成 {site}，等它完成…",
    ),
    "build.export-waiting": Text(
        "opsbook: waiting for another export to {folder} (pid {pid})…",
        "opsbook：另一次导出（进程 {pid}）正在写入 {folder}，等它完成…",
    ),
    "build.export-waiting-unknown": Text(
        "opsbook: waiting for another export to {folder}…",
        "opsbook：另一次导出正在写入 {folder}，等它完成…",
    ),
    "build.written": Text(
        "opsbook: {pages} pages written to {site}", "opsbook：已生成 {pages} 个页面，位于 {site}"
    ),
    "build.exported": Text(
        "opsbook: {files} files written to {output}",
        "opsbook：已导出 {files} 个文件，位于 {output}",
    ),
}
