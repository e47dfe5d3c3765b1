"""Markdown block structure (markdown-it-py): what each line range is and under which heading."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from markdown_it import MarkdownIt

from bot.core.text import MD_LINK, link_text, strip_emphasis

_KINDS = {
    "heading_open": "heading",
    "paragraph_open": "paragraph",
    "table_open": "table",
    "fence": "code",
    "code_block": "code",
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "blockquote_open": "quote",
    "hr": "hr",
    "html_block": "html",
}


@dataclass(frozen=True, slots=True)
class Block:
    """A top-level Markdown block: ``start``/``end`` are 0-based line indexes, end exclusive."""

    kind: str
    start: int
    end: int
    level: int = 0
    title: str = ""
    link: str = ""  # a heading that is a link ("## [Title](https://arxiv.org/…)"): its target


def make_parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def parse_blocks(text: str, *, parser: MarkdownIt | None = None) -> list[Block]:
    """Top-level blocks in document order; fenced code stays one block (its '#' lines too)."""
    tokens = (parser or make_parser()).parse(text)
    blocks: list[Block] = []
    for index, token in enumerate(tokens):
        kind = _KINDS.get(token.type)
        if kind is None or token.level != 0 or token.map is None:
            continue
        start, end = token.map
        if kind == "heading":
            inline = tokens[index + 1].content
            title = strip_emphasis(link_text(inline))
            link = m["url"] if (m := MD_LINK.search(inline)) else ""
            blocks.append(Block(kind, start, end, level=int(token.tag[1]), title=title, link=link))
        else:
            blocks.append(Block(kind, start, end))
    return blocks


def split_blocks_at(blocks: list[Block], lines: set[int]) -> list[Block]:
    """Cut blocks so that each line in ``lines`` starts a block (used for paper-list entries)."""
    result: list[Block] = []
    for block in blocks:
        cuts = sorted(line for line in lines if block.start < line < block.end)
        if block.kind in ("code", "heading", "table") or not cuts:
            result.append(block)
            continue
        edges = [block.start, *cuts, block.end]
        result.extend(Block(block.kind, a, b) for a, b in itertools.pairwise(edges))
    return result


def section_end(blocks: list[Block], index: int, total_lines: int) -> int:
    """Where the section under heading ``blocks[index]`` ends: its next heading of the same
    or a higher level, else the note's end."""
    level = blocks[index].level
    for block in blocks[index + 1 :]:
        if block.kind == "heading" and block.level <= level:
            return block.start
    return total_lines


def heading_paths(blocks: list[Block]) -> list[tuple[str, ...]]:
    """For each block, the path of headings it sits under (a heading includes itself)."""
    stack: list[tuple[int, str]] = []
    paths: list[tuple[str, ...]] = []
    for block in blocks:
        if block.kind == "heading":
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            stack.append((block.level, block.title))
        paths.append(tuple(title for _, title in stack))
    return paths


def table_rows(lines: list[str]) -> list[list[str]]:
    """Cells of a Markdown table's lines, the delimiter row dropped; ragged rows kept as-is."""
    rows = []
    for line in lines:
        stripped = line.strip()
        if not stripped or set(stripped) <= set("|:- "):
            continue
        body = stripped.strip("|") if stripped.startswith("|") else stripped.rstrip("|")
        rows.append([cell.strip() for cell in _split_cells(body)])
    return rows


def _split_cells(body: str) -> list[str]:
    cells: list[str] = []
    current: list[str] = []
    escaped = False
    for ch in body:
        if ch == "|" and not escaped:
            cells.append("".join(current))
            current = []
        else:
            current.append(ch)
        escaped = ch == "\\" and not escaped
    cells.append("".join(current))
    return cells
