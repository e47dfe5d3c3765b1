"""The bot's own sentences, in Japanese and English (model prompts live in prompts/)."""

from __future__ import annotations

from bot.core.answers import Lang

_PHRASES: dict[str, dict[Lang, str]] = {
    "extractive_intro": {
        "ja": "ノートの該当箇所です（言語モデルを使わない抜粋です）:",
        "en": "Here is what your notes say (excerpts; no language model is configured):",
    },
    "fallback_intro": {
        "ja": "言語モデルが応答しなかったため、ノートの該当箇所を抜粋します:",
        "en": (
            "The language model did not respond, so here are the matching passages "
            "from your notes:"
        ),
    },
    "not_found": {
        "ja": "ノートには、この質問に関係する記述が見つかりませんでした。",
        "en": "I could not find anything about this in your notes.",
    },
    "summary_too_long": {
        "ja": "前回の案は {length} 字で、140 字を超えていました。もっと短く書き直してください。",
        "en": "Your last draft had {length} characters, over 140. Write a shorter one.",
    },
    "summary_bad_numbers": {
        "ja": (
            "前回の案にはメモにない数値（{numbers}）がありました。"
            "メモにある数値だけを使ってください。"
        ),
        "en": (
            "Your last draft used numbers not in the notes ({numbers}). "
            "Use only numbers from the notes."
        ),
    },
}


def phrase(key: str, lang: Lang, **values: object) -> str:
    return _PHRASES[key][lang].format(**values)
