"""Telegram HTML (parse mode "HTML", escape only < > &): answers, summaries, search hits.

HTML rather than MarkdownV2, whose escaping rules are the top cause of "can't parse
entities". Messages are cut at 4,096 characters on line boundaries, never inside a tag or an
entity, and tags open at a cut are closed and reopened so every piece parses alone.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any, cast

from bot.core.answers import Answer, Citation, Lang, Summary
from bot.core.digest import Digest
from bot.core.models import Hit
from bot.core.phrases import phrase
from bot.platforms.dialects.markdown import citation_line, render
from bot.platforms.dialects.splitting import snippet, split

LIMIT = 4096
_TAGS = {"bold": "b", "italic": "i", "strike": "s"}
_TAG = re.compile(r"<(/?)([a-z-]+)[^>]*>")


def escape(text: str) -> str:
    return html.escape(text, quote=False)


class TelegramDialect:
    def escape(self, text: str) -> str:
        return escape(text)

    def mark(self, style: str, opening: bool) -> str:
        return f"<{'' if opening else '/'}{_TAGS[style]}>"

    def code(self, text: str) -> str:
        return f"<code>{escape(text)}</code>"

    def link(self, href: str, label: str) -> str:
        return f'<a href="{html.escape(href, quote=True)}">{label}</a>'

    def block(self, text: str) -> str:
        return f"<pre>{escape(text)}</pre>"

    def quote(self, text: str) -> str:
        return f"<blockquote>{text}</blockquote>"


def to_html(markdown: str) -> str:
    return render(markdown, TelegramDialect())


def plain(text: str) -> str:
    """What a user would read, for resending without parse mode."""
    return html.unescape(_TAG.sub("", text))


class _Tags:
    """Telegram markup to keep balanced across pieces: the open HTML tags."""

    def start(self) -> list[str]:
        return []

    def after(self, open_tags: list[str], line: str) -> list[str]:
        tags = list(open_tags)
        for match in _TAG.finditer(line):
            if not match[1]:
                tags.append(match[0])
            elif tags and _name(tags[-1]) == match[2]:
                tags.pop()
        return tags

    def close(self, open_tags: list[str]) -> str:
        return "".join(f"</{_name(tag)}>" for tag in reversed(open_tags))

    def reopen(self, open_tags: list[str]) -> str:
        return "".join(open_tags)

    def cut(self, line: str, room: int) -> int:
        for at in range(room, room // 2, -1):
            before = line[:at]
            if before.rfind("<") <= before.rfind(">") and before.rfind("&") <= before.rfind(";"):
                return at  # not inside a tag or an entity
        return room


def split_html(text: str, limit: int = LIMIT) -> list[str]:
    return [p for p in split(text, limit, _Tags()) if plain(p).strip()]


def _name(tag: str) -> str:
    return tag[1:].split(">")[0].split()[0]


def answer_html(answer: Answer) -> list[str]:
    parts = [to_html(answer.text)]
    if answer.citations:
        lines = [f"<b>{phrase('sources', answer.language)}</b>"]
        lines += [citation_line(c, TelegramDialect()) for c in answer.citations]
        parts.append("\n".join(lines))
    parts += [evidence(c) for c in answer.citations if c.excerpt]
    if answer.mode == "extractive" and answer.found:
        parts.append(f"<i>{phrase('extractive_note', answer.language)}</i>")
    return split_html("\n\n".join(parts))


def evidence(c: Citation) -> str:
    """A cited passage, folded: Telegram shows its first lines and opens the rest on a tap."""
    section = c.heading.split(" > ")[-1]
    quoted = f"<b>[{c.n}]</b> {escape(section)}\n{escape(c.excerpt)}"
    return f"<blockquote expandable>{quoted}</blockquote>"


Buttons = list[list[tuple[str, str]]]  # rows of (label, callback data after the prefix)


def keyed_pages(answer: Answer) -> list[tuple[str, Buttons | None]]:
    """The answer's pages, the last with its buttons when something was found."""
    return _buttons_last(answer_html(answer), answer_buttons(answer) if answer.found else None)


def _buttons_last(pages: list[str], buttons: Buttons | None) -> list[tuple[str, Buttons | None]]:
    """Each page with no buttons but the last: buttons go under the whole message."""
    return [(page, buttons if i == len(pages) - 1 else None) for i, page in enumerate(pages)]


def answer_buttons(answer: Answer) -> Buttons:
    """The buttons under an answer, (label, callback data) by row: 👍/👎, then the cited
    passages in full and the cited papers' 140 characters."""
    more = [(phrase("button_sources", answer.language), "src")] if answer.citations else []
    if any(c.paper for c in answer.citations):
        more.append((phrase("button_summary", answer.language), "sum"))
    return [row for row in ([("👍", "up"), ("👎", "down")], more) if row]


def followup_html(
    record: dict[str, Any] | None, summaries: Sequence[Summary] | None, lang: Lang
) -> list[str]:
    """What a button under an answer shows: the papers' ``summaries`` when asked for, else
    the recorded answer's cited passages in full."""
    if record is None:
        return [escape(phrase("answer_gone", lang))]
    if summaries is None:
        return sources_html(record["citations"], lang)
    return [summary_html(s) for s in summaries] or [escape(phrase("no_cited_paper", lang))]


def sources_html(cited: Sequence[dict[str, object]], lang: Lang) -> list[str]:
    """The cited passages of a recorded answer in full: where each is, then its text."""
    blocks = [f"<b>{phrase('sources', lang)}</b>"]
    for c in cited:
        parts = [str(c.get("source") or ""), *str(c.get("heading") or "").split(" > ")]
        where = " › ".join(escape(p) for p in parts if p)
        lines = cast(list[int], c.get("lines") or [0, 0])
        head = f"<b>[{c.get('n')}]</b> {where} (L{lines[0]}–{lines[1]})"
        if c.get("url"):
            head += f"\n{escape(str(c['url']))}"
        text = str(c.get("passage") or c.get("excerpt") or "")
        blocks.append(f"{head}\n<blockquote expandable>{escape(text)}</blockquote>")
    return split_html("\n\n".join(blocks))


def summary_html(summary: Summary) -> str:
    lines = [f"<b>{escape(summary.paper)}</b>", escape(summary.text)]
    if summary.url:
        lines.append(escape(summary.url))
    return "\n".join(lines)


def hits_html(hits: Sequence[Hit], lang: Lang) -> list[str]:
    if not hits:
        return [phrase("no_hits", lang)]
    blocks = []
    for hit in hits:
        c = hit.chunk
        where = " › ".join(escape(p) for p in (c.source, c.heading) if p)
        text = snippet(c.body)
        blocks.append(f"<b>[{hit.rank}]</b> {where}\n<blockquote>{escape(text)}</blockquote>")
    return split_html("\n\n".join(blocks))


def digest_html(digest: Digest, lang: Lang) -> list[str]:
    title = f"<b>{escape(phrase('digest_title', lang, period=digest.period))}</b>"
    if not digest.items:  # new arXiv papers follow in their own message, if any
        return [title if digest.arxiv else f"{title}\n{escape(phrase('digest_empty', lang))}"]
    items = []
    for n, item in enumerate(digest.items, 1):
        new = f" {phrase('new', lang)}" if item.new else ""
        heading = f"<b>{n}. {escape(item.summary.paper)}</b>{new}"
        items.append(f"{heading}\n{summary_lines(item.summary)}")
    return split_html("\n\n".join([title, *items]))


def digest_pages(digest: Digest, lang: Lang) -> list[tuple[str, Buttons | None]]:
    """The digest's messages; the arXiv section is the last, a "save" button per paper."""
    pages: list[tuple[str, Buttons | None]] = [(p, None) for p in digest_html(digest, lang)]
    if not digest.arxiv:
        return pages
    blocks = [f"<b>{escape(phrase('arxiv_section', lang))}</b>"]
    for n, p in enumerate(digest.arxiv, 1):
        paper, near = p.submission, phrase("arxiv_near", lang, title=p.near)
        link = TelegramDialect().link(paper.url, escape(paper.title))
        blocks.append(f"<b>{n}.</b> {link}\n{escape(p.summary)}\n<i>{escape(near)}</i>")
    save = phrase("arxiv_save", lang)
    buttons = [[(f"💾 {n}. {save}", f"save:{p.submission.arxiv_id}")]
               for n, p in enumerate(digest.arxiv, 1)]
    return pages + _buttons_last(split_html("\n\n".join(blocks)), buttons)


def summary_lines(summary: Summary) -> str:
    lines = [escape(summary.text)]
    if summary.url:
        lines.append(escape(summary.url))
    lines.append(f"<i>{escape(summary.source.source)}</i>")
    return "\n".join(lines)
