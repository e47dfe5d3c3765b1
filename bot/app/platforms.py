"""The chat platforms' SDK clients and bots, built from settings (nowhere else)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.app.settings import Settings
from bot.core.access import Allowlist, RateLimiter
from bot.core.arxiv.submissions import NoteTaker, PaperSaver
from bot.core.assistant import Assistant
from bot.platforms.conversation import BotPolicy, Conversation, EditBudget
from bot.platforms.conversation.delivery import Delivery
from bot.platforms.conversation.service import DigestPreviews
from bot.state.store import StateStore

if TYPE_CHECKING:  # built lazily: a Telegram-only install never imports Slack, and back
    from slack_sdk.web.async_client import AsyncWebClient
    from telegram.ext import Application

    from bot.app.slack_bot import SlackBot
    from bot.app.telegram_bot import TelegramBot


# chat.update is Tier 3 (~50 calls a minute): drafts share that budget, final answers don't.
SLACK_DRAFT_EDITS_PER_MINUTE = 40


def bot_policy(
    settings: Settings, *, users: list[str], chats: list[str], min_interval: float = 0.0
) -> BotPolicy:
    return BotPolicy(
        allow=Allowlist.of(users, chats),
        limiter=RateLimiter(per_minute=settings.user_questions_per_minute),
        draft_interval=max(min_interval, settings.draft_interval),
        history_turns=settings.history_turns,
        timezone=settings.digest_timezone,
        digest_lang=settings.summary_language,
    )


def slack_client(settings: Settings) -> AsyncWebClient:
    from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
    from slack_sdk.web.async_client import AsyncWebClient

    assert settings.slack_bot_token is not None
    client = AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url or AsyncWebClient.BASE_URL,
        timeout=int(settings.slack_timeout),
    )
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=3))
    return client


def build_slack(
    settings: Settings,
    *,
    assistant: Assistant,
    state: StateStore,
    digests: DigestPreviews | None = None,
    papers: PaperSaver | None = None,
    notes: NoteTaker | None = None,
) -> SlackBot:
    from slack_bolt.app.async_app import AsyncApp

    from bot.app.slack_bot import SlackBot
    from bot.platforms.slack.app import register
    from bot.platforms.slack.commands import SlackCommands
    from bot.platforms.slack.handlers import ALLOW_SETTING, SlackEvents

    client = slack_client(settings)
    secret = settings.slack_signing_secret
    http = settings.slack_app_token is None
    app = AsyncApp(
        client=client,
        # Explicit, so Bolt never reads SLACK_* from the environment behind our back.
        signing_secret=secret.get_secret_value() if secret else "",
        request_verification_enabled=http,
        process_before_response=False,  # ack first, answer after
    )
    users, chats = settings.slack_allowed_users, settings.slack_allowed_channels
    conversation = Conversation(
        platform="slack",
        assistant=assistant,
        state=state,
        policy=bot_policy(settings, users=users, chats=chats),
        allow_setting=ALLOW_SETTING,
        delivery=Delivery(patience=settings.delivery_patience),
        budget=EditBudget(per_minute=SLACK_DRAFT_EDITS_PER_MINUTE),
        digests=digests,
    )
    events = SlackEvents(
        conversation=conversation, client=client, native=settings.slack_native_streaming
    )
    lang = settings.summary_language
    events.papers = papers
    commands = SlackCommands(
        events=events, assistant=assistant, digest_lang=lang, papers=papers, notes=notes
    )
    names = {
        "ask": settings.slack_command_ask,
        "paper": settings.slack_command_paper,
        "search": settings.slack_command_search,
        "digest": settings.slack_command_digest,
        "note": settings.slack_command_note,
    }
    register(app, events, commands, names)
    app_token = settings.slack_app_token.get_secret_value() if settings.slack_app_token else None
    at = (settings.slack_http_host, settings.slack_http_port, settings.slack_http_path)
    return SlackBot(
        app=app, client=client, events=events, app_token=app_token, http=at, digest_lang=lang
    )


def telegram_application(settings: Settings) -> Application:  # type: ignore[type-arg]
    from telegram.ext import AIORateLimiter, Application

    assert settings.telegram_token is not None
    timeout = settings.telegram_timeout
    builder = (
        Application.builder()
        .token(settings.telegram_token.get_secret_value())
        .concurrent_updates(True)  # one slow answer must not hold up the others
        .rate_limiter(AIORateLimiter(max_retries=3))  # honours 429 retry_after
        .connect_timeout(min(5.0, timeout))
        .read_timeout(timeout)
        .write_timeout(timeout)
        .pool_timeout(timeout)
        .get_updates_read_timeout(settings.telegram_poll_timeout + timeout)
    )
    if settings.telegram_base_url:  # PTB's base_url, e.g. http://localhost:8081/bot
        builder = builder.base_url(settings.telegram_base_url)
        if settings.telegram_base_url.rstrip("/").endswith("/bot"):
            files = settings.telegram_base_url.rstrip("/").removesuffix("/bot") + "/file/bot"
            builder = builder.base_file_url(files)
    return builder.build()


def build_telegram(
    settings: Settings,
    *,
    assistant: Assistant,
    state: StateStore,
    digests: DigestPreviews | None = None,
    papers: PaperSaver | None = None,
    notes: NoteTaker | None = None,
) -> TelegramBot:
    from bot.app.telegram_bot import Receiving, TelegramBot
    from bot.platforms.conversation.pacing import ChatPacer
    from bot.platforms.telegram.app import register
    from bot.platforms.telegram.handlers import ALLOW_SETTING, TelegramHandlers
    from bot.platforms.telegram.sender import Sender

    application = telegram_application(settings)
    users, chats = settings.telegram_allowed_users, settings.telegram_allowed_chats
    conversation = Conversation(
        platform="telegram",
        assistant=assistant,
        state=state,
        policy=bot_policy(settings, users=users, chats=chats, min_interval=1.0),  # ≤ 1 edit/s
        allow_setting=ALLOW_SETTING,
        delivery=Delivery(patience=settings.delivery_patience),
        digests=digests,
    )
    sender = Sender(bot=application.bot, pacer=ChatPacer(interval=1.0))
    lang = settings.summary_language
    handlers = TelegramHandlers(
        conversation=conversation, assistant=assistant, sender=sender, digest_lang=lang,
        drafts=settings.telegram_drafts, papers=papers, notes=notes,
    )
    register(application, handlers)
    secret = settings.telegram_webhook_secret
    receive = Receiving(
        poll_timeout=settings.telegram_poll_timeout,
        webhook_url=settings.telegram_webhook_url if settings.telegram_mode == "webhook" else None,
        listen=settings.telegram_webhook_listen,
        port=settings.telegram_webhook_port,
        path=settings.telegram_webhook_path,
        secret=secret.get_secret_value() if secret else None,
    )
    return TelegramBot(application, handlers, sender, receive, lang)
