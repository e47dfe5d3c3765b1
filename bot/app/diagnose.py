"""`notesbot doctor` from settings: build what a deployment would (the same builders as
`serve`) and run every check in bot.ops.doctor, each bounded by its own timeout."""

from __future__ import annotations

from bot.app.arxiv import arxiv_client
from bot.app.compose import chunking_options, make_chat_model, open_index
from bot.app.platforms import slack_client
from bot.app.settings import Settings
from bot.ops.doctor import (
    Check,
    arxiv_check,
    embedder_check,
    guarded,
    host_of,
    index_checks,
    llm_check,
    notes_check,
    slack_check,
    telegram_check,
)
from bot.ops.live_checks import freshness_check, watch_check
from ingest.pipeline import index_fingerprint


async def run_checks(settings: Settings) -> list[Check]:
    s = settings
    checks = [_summary(s), notes_check(s.notes_dir)]
    try:
        index = open_index(s)
    except Exception as exc:
        checks.append(Check("index", "fail", f"cannot open: {exc.__class__.__name__}: {exc}"))
        index = None
    if index is not None:
        try:
            built = index_fingerprint(chunking_options(s), index.embedder, index.tokenizer)
            checks += index_checks(index, fingerprint=built, data_dir=s.data_dir)
            checks.append(freshness_check(index.store, s.notes_dir))
            checks.append(await guarded("embedder", lambda: embedder_check(index)))
        finally:
            index.close()
    checks.append(watch_check(notes_dir=s.notes_dir, data_dir=s.data_dir, watch=s.watch,
                              polling=s.watch_polling))
    checks.append(await guarded("llm", lambda: _llm(s)))
    slack = slack_client(s) if s.slack_bot_token is not None else None
    mode = "Socket Mode" if s.slack_app_token else "HTTP"
    checks.append(await guarded("slack", lambda: slack_check(slack, mode=mode)))
    telegram = lambda: telegram_check(_telegram_bot(s), mode=s.telegram_mode)  # noqa: E731
    checks.append(await guarded("telegram", telegram))
    arxiv = arxiv_client(s) if s.arxiv_categories else None
    checks.append(await guarded("arxiv", lambda: arxiv_check(arxiv, url=s.arxiv_base_url)))
    return checks


async def _llm(s: Settings) -> Check:
    return await llm_check(make_chat_model(s), model=s.llm_model, url=s.llm_base_url,
                           configured=s.llm_context_tokens)


def _summary(s: Settings) -> Check:
    chroma = f"server {s.chroma_host}:{s.chroma_port}" if s.chroma_host else "embedded"
    llm = host_of(s.llm_base_url or ("https://api.openai.com" if s.llm_api_key else None))
    detail = (
        f"data {s.data_dir}; embedder {s.embed_backend}:{s.embed_model}; Chroma {chroma}; "
        f"LLM {llm}; Slack {'on' if s.slack_configured else 'off'}; "
        f"Telegram {'on' if s.telegram_configured else 'off'}; "
        f"arXiv {','.join(s.arxiv_categories) or 'off'}"
    )
    return Check("settings", "ok", detail)


def _telegram_bot(s: Settings):  # type: ignore[no-untyped-def]
    if s.telegram_token is None:
        return None
    from telegram import Bot

    base = s.telegram_base_url or "https://api.telegram.org/bot"
    return Bot(s.telegram_token.get_secret_value(), base_url=base)
