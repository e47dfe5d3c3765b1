"""Block Kit for answers, summaries and search hits (pure: data in, JSON-able dicts out).

Slack's limits: a section's text ≤ 3,000 characters, ≤ 50 blocks per message, ≤ 10 elements
per context block. Long answers become several messages; sources and buttons go on the last.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.answers import Answer, Lang, Summary
from bot.core.arxiv.submissions import Proposal
from bot.core.digest import Digest
from bot.core.models import Hit
from bot.core.phrases import SUGGESTED_PROMPTS, phrase
from bot.platforms.dialects.markdown import citation_line
from bot.platforms.dialects.slack_mrkdwn import SlackDialect, escape, split_text, to_mrkdwn
from bot.platforms.dialects.splitting import snippet

Block = dict[str, Any]
SECTION_CHARS = 3000
MAX_BLOCKS = 50
_CONTEXT_ELEMENTS = 10
_ELEMENT_CHARS = 2000
FEEDBACK_UP, FEEDBACK_DOWN = "notesbot_feedback_up", "notesbot_feedback_down"
FEEDBACK_NOTE = "notesbot_feedback_note"  # the 👎 modal's callback id
ARXIV_SAVE = "notesbot_arxiv_save"  # "save as note" under a digest's new arXiv paper
PROMPTS = [{"title": title, "message": text} for title, text in SUGGESTED_PROMPTS]


def section(mrkdwn: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}


def context(lines: Sequence[str]) -> Block:
    """A context block; lines beyond ten elements share elements, each under the limit."""
    per = -(-len(lines) // _CONTEXT_ELEMENTS) or 1
    groups = ["\n".join(lines[i : i + per]) for i in range(0, len(lines), per)]
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": g[:_ELEMENT_CHARS]} for g in groups],
    }


def answer_messages(answer: Answer, *, feedback_ref: str) -> list[list[Block]]:
    """The answer as one or more messages of blocks (each ≤ 50 blocks)."""
    body = [section(piece) for piece in split_text(to_mrkdwn(answer.text), SECTION_CHARS)]
    return _paginate(body or [section(" ")], answer_tail(answer, feedback_ref=feedback_ref))


def answer_tail(answer: Answer, *, feedback_ref: str) -> list[Block]:
    """Under the answer's text: its sources, the extractive note, the feedback buttons."""
    tail: list[Block] = []
    if answer.citations:
        title = f"*{phrase('sources', answer.language)}*"
        tail.append(context([title, *(citation_line(c, SlackDialect()) for c in answer.citations)]))
    if answer.mode == "extractive" and answer.found:
        tail.append(context([f"_{phrase('extractive_note', answer.language)}_"]))
    if answer.found:
        tail.append(feedback_buttons(feedback_ref))
    return tail


def feedback_modal(ref: str, lang: Lang) -> Block:
    """The optional "what was wrong" form a 👎 opens; ``ref`` rides along to its submission."""
    def text(key: str) -> dict[str, str]:
        return {"type": "plain_text", "text": phrase(key, lang)}

    note = {"type": "plain_text_input", "action_id": "note", "multiline": True}
    return {
        "type": "modal", "callback_id": FEEDBACK_NOTE, "private_metadata": ref,
        "title": text("feedback_note_title"), "submit": text("feedback_note_send"),
        "blocks": [{"type": "input", "block_id": "note", "optional": True,
                    "label": text("feedback_note_label"), "element": note}],
    }


def feedback_buttons(ref: str) -> Block:
    return {
        "type": "actions",
        "block_id": "feedback",
        "elements": [
            {"type": "button", "action_id": FEEDBACK_UP, "value": ref,
             "text": {"type": "plain_text", "text": "👍", "emoji": True}},
            {"type": "button", "action_id": FEEDBACK_DOWN, "value": ref,
             "text": {"type": "plain_text", "text": "👎", "emoji": True}},
        ],
    }


def _paginate(body: list[Block], tail: list[Block]) -> list[list[Block]]:
    room = MAX_BLOCKS - len(tail)
    pages = [body[i : i + MAX_BLOCKS] for i in range(0, len(body), MAX_BLOCKS)] or [[]]
    if len(pages[-1]) > room:
        pages.append([])
    pages[-1].extend(tail)
    return pages


def summary_blocks(summary: Summary, heading: str | None = None) -> list[Block]:
    lines = [heading or f"*{escape(summary.paper)}*", escape(summary.text)]
    if summary.url:
        lines.append(f"<{escape(summary.url)}>")
    where = " › ".join(escape(p) for p in (summary.source.source, summary.source.heading) if p)
    return [section("\n".join(lines)), context([f"{where} · {len(summary.text)}/140"])]


def digest_blocks(digest: Digest, lang: Lang) -> list[Block]:
    blocks = [section(f"*{escape(phrase('digest_title', lang, period=digest.period))}*")]
    if digest.empty:
        return [*blocks, section(escape(phrase("digest_empty", lang)))]
    for n, item in enumerate(digest.items, 1):
        new = f" {phrase('new', lang)}" if item.new else ""
        blocks += summary_blocks(item.summary, f"*{n}. {escape(item.summary.paper)}*{new}")
    if digest.arxiv:
        blocks += arxiv_blocks(digest.arxiv, lang)
    return blocks[:MAX_BLOCKS]


def arxiv_blocks(proposals: Sequence[Proposal], lang: Lang) -> list[Block]:
    """The digest's new arXiv papers: title (linked), summary, the closest note paper, and a
    "save as note" button."""
    title = section(f"*{escape(phrase('arxiv_section', lang))}*")
    blocks: list[Block] = [{"type": "divider"}, title]
    save = {"type": "plain_text", "text": phrase("arxiv_save", lang)}
    for n, p in enumerate(proposals, 1):
        paper = p.submission
        text = f"*{n}. <{escape(paper.url)}|{escape(paper.title)}>*\n{escape(p.summary)}"
        button = {"type": "button", "action_id": ARXIV_SAVE, "value": paper.arxiv_id, "text": save}
        blocks.append(section(text) | {"accessory": button})
        near = phrase("arxiv_near", lang, title=p.near)
        blocks.append(context([f"{escape(near)} · {', '.join(paper.categories[:3])}"]))
    return blocks


def hits_blocks(hits: Sequence[Hit], lang: Lang) -> list[Block]:
    if not hits:
        return [section(phrase("no_hits", lang))]
    blocks = []
    for hit in hits:
        c = hit.chunk
        where = " › ".join(escape(p) for p in (c.source, c.heading) if p)
        text = snippet(c.body)
        paper = f"<{escape(c.url)}|{escape(c.paper or c.url)}>\n" if c.url else ""
        blocks.append(section(f"*[{hit.rank}]* {where}\n{paper}> {escape(text)}"))
    return blocks[:MAX_BLOCKS]


def plain_fallback(text: str, limit: int = 3000) -> str:
    """The notification / screen-reader text that goes with blocks."""
    flat = to_mrkdwn(text)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
