"""The bot's own sentences, in Japanese and English (model prompts live in prompts/)."""

from __future__ import annotations

from bot.core.answers import Lang

# Slack's assistant view offers these to start a thread (title, prompt), both languages.
SUGGESTED_PROMPTS = (
    ("論文を探す", "量子化について書いた論文のノートを全部挙げて"),
    ("数値を確かめる", "この論文の学習に使った GPU と時間は？"),
    ("Summarize a paper", "Summarize a paper from my notes in 140 characters"),
    ("Compare", "Which of my noted papers use LoRA, and how?"),
)

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
    "unsupported_intro": {
        "ja": "言語モデルの回答はノートで裏付けられなかったため、ノートの該当箇所を抜粋します:",
        "en": (
            "The model's answer was not supported by your notes, so here are the matching "
            "passages instead:"
        ),
    },
    "not_found": {
        "ja": "ノートには、この質問に関係する記述が見つかりませんでした。",
        "en": "I could not find anything about this in your notes.",
    },
    "closest_papers": {
        "ja": "ノートにある近い論文:",
        "en": "The closest papers your notes do cover:",
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
    "thinking": {"ja": "ノートを調べています…", "en": "Looking through your notes…"},
    "not_allowed": {
        "ja": (
            "このボットは許可された人だけが使えます。管理者に、あなたの ID `{id}` を "
            "{setting} に追加するよう頼んでください。"
        ),
        "en": (
            "This bot only answers people on its allowlist. Ask its owner to add your "
            "id `{id}` to {setting}."
        ),
    },
    "rate_limited": {
        "ja": "質問が続いています。{seconds} 秒ほど待ってからもう一度どうぞ。",
        "en": "That is a lot of questions at once. Please try again in {seconds} s.",
    },
    "undelivered": {
        "ja": "回答はできましたが、送信に失敗しました。もう一度質問してください。",
        "en": "The answer was ready but could not be delivered. Please ask again.",
    },
    "apology": {
        "ja": "すみません、回答の途中でエラーが起きました。もう一度試してください。",
        "en": "Sorry, something went wrong while answering. Please try again.",
    },
    "sources": {"ja": "出典", "en": "Sources"},
    "help": {
        "ja": (
            "論文メモについて何でも聞いてください。出典つきで答えます。\n"
            "/ask 質問 — 質問する（DM ではそのまま書くだけで OK）\n"
            "/paper 論文名・arXiv ID — 140 字の要約とリンク\n"
            "/search 語 — メモの該当箇所\n"
            "/new — 会話の履歴を消す\n"
            "/digest — 今日の論文ダイジェスト\n"
            "/subscribe, /unsubscribe — 毎日のダイジェストをこのチャットに送る・止める"
        ),
        "en": (
            "Ask me anything about your paper notes; answers come with sources.\n"
            "/ask question — ask (in a DM, just write)\n"
            "/paper title or arXiv id — a 140-character summary and link\n"
            "/search words — matching passages of the notes\n"
            "/new — forget this conversation\n"
            "/digest — today's paper digest\n"
            "/subscribe, /unsubscribe — the daily digest in this chat, or not"
        ),
    },
    "digest_title": {"ja": "📚 今日の論文 {period}", "en": "📚 Papers for {period}"},
    "digest_empty": {
        "ja": "今日のダイジェストに載せる論文はありません。",
        "en": "No papers for today's digest.",
    },
    "new": {"ja": "🆕 新着", "en": "🆕 new"},
    "subscribed": {
        "ja": "このチャットに毎日のダイジェストを送ります。",
        "en": "This chat will get the daily digest.",
    },
    "unsubscribed": {
        "ja": "このチャットへのダイジェストを止めました。",
        "en": "This chat will no longer get the daily digest.",
    },
    "extractive_note": {
        "ja": "抜粋回答（言語モデルなし）",
        "en": "extractive answer (no language model)",
    },
    "no_paper": {
        "ja": "「{query}」に当たる論文がノートに見つかりませんでした。",
        "en": "No paper in the notes matches “{query}”.",
    },
    "nearest_papers": {"ja": "近いタイトル:", "en": "Closest titles in your notes:"},
    "no_hits": {"ja": "該当する箇所はありませんでした。", "en": "No matching passages."},
    "usage_ask": {"ja": "使い方: {command} 質問", "en": "Usage: {command} your question"},
    "usage_paper": {
        "ja": "使い方: {command} 論文名・arXiv ID・キーワード",
        "en": "Usage: {command} paper title, arXiv id or words",
    },
    "usage_search": {"ja": "使い方: {command} 検索語", "en": "Usage: {command} search words"},
    "usage_note": {"ja": "使い方: {command} メモの内容", "en": "Usage: {command} what to note"},
    "note_saved": {
        "ja": "{name} に保存しました。もう質問に使えます。",
        "en": "Saved to {name}; you can ask about it now.",
    },
    "note_saved_later": {
        "ja": "{name} に保存しました（数秒後に質問に使えるようになります）。",
        "en": "Saved to {name}; it will be searchable in a few seconds.",
    },
    "feedback_note_title": {"ja": "何が違いましたか", "en": "What was wrong?"},
    "feedback_note_label": {
        "ja": "よければ、正しい答えや足りなかった点を教えてください（任意）",
        "en": "If you like, say what the right answer is or what was missing (optional)",
    },
    "feedback_note_send": {"ja": "送る", "en": "Send"},
    "feedback_thanks": {
        "ja": "フィードバックありがとうございます。",
        "en": "Thanks for the feedback.",
    },
    "button_sources": {"ja": "📄 出典の本文", "en": "📄 Source text"},
    "button_summary": {"ja": "📝 論文の140字要約", "en": "📝 Paper in 140 chars"},
    "no_cited_paper": {
        "ja": "この回答は特定の論文のノートを引用していません。",
        "en": "This answer does not cite a particular paper's note.",
    },
    "answer_gone": {
        "ja": "この回答の記録が見つかりません（フィードバックの記録が消去されたかもしれません）。",
        "en": "This answer is no longer on record (the feedback log may have been cleared).",
    },
    "arxiv_categories": {"ja": "カテゴリ", "en": "Categories"},
    "arxiv_authors": {"ja": "著者", "en": "Authors"},
    "arxiv_published": {"ja": "投稿日", "en": "Submitted"},
    "arxiv_section": {
        "ja": "🆕 arXiv 新着（あなたのノートに近い順）",
        "en": "🆕 New on arXiv (closest to your notes first)",
    },
    "arxiv_near": {"ja": "近い: {title}", "en": "close to: {title}"},
    "arxiv_save": {"ja": "ノートに保存", "en": "Save as note"},
    "arxiv_missing": {
        "ja": "arXiv に {id} という論文は見つかりませんでした。",
        "en": "arXiv has no paper {id}.",
    },
    "arxiv_unreachable": {
        "ja": "arXiv に接続できませんでした（{reason}）。少し後でもう一度送ってください。",
        "en": "Could not reach arXiv ({reason}); please send it again later.",
    },
    "arxiv_exists": {
        "ja": "{name} はすでにあります（上書きしません）。",
        "en": "{name} already exists; it was left as it is.",
    },
    "arxiv_write_failed": {
        "ja": "ノートフォルダに書き込めませんでした（{reason}）。",
        "en": "Could not write into the notes folder ({reason}).",
    },
    "arxiv_unknown": {
        "ja": "arXiv {id} の情報が見つかりません（数日前のダイジェストかもしれません）。",
        "en": "arXiv {id} is no longer in the listing cache (an older digest?).",
    },
    "forgotten": {"ja": "会話の履歴を消しました。", "en": "Conversation history cleared."},
}


def phrase(key: str, lang: Lang, **values: object) -> str:
    return _PHRASES[key][lang].format(**values)
