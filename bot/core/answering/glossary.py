"""English question words as Japanese notes write them, so an English question finds them.

Notes in Japanese keep English for names and many terms (GPU, LoRA, RedPajama), but the words a
question is built from ("train", "dataset", "limitations", "how long") are Japanese in them.
Two sources: a general ML vocabulary below, and the pairs the notes themselves define
("行動マネージャ (Action Manager)", "Stage-wise Diffusion（ステージワイズ拡散）"), mined by
``mine_pairs`` when the notes are read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# fmt: off
GENERAL: dict[str, str] = {
    "train": "学習 訓練 トレーニング", "training": "学習 訓練 トレーニング",
    "trained": "学習 訓練 トレーニング", "learn": "学習", "learning": "学習",
    "dataset": "データセット", "datasets": "データセット", "data": "データ",
    "model": "モデル", "models": "モデル", "paper": "論文", "papers": "論文",
    "limitation": "限界 課題 制限 問題点", "limitations": "限界 課題 制限 問題点",
    "weakness": "弱点 課題 限界", "weaknesses": "弱点 課題 限界", "problem": "問題 課題",
    "result": "結果 成果", "results": "結果 成果", "achieve": "達成", "achieved": "達成",
    "improve": "改善 向上", "improved": "改善 向上", "improvement": "改善 向上",
    "cost": "コスト", "costs": "コスト", "time": "時間", "hours": "時間", "days": "日",
    "memory": "メモリ", "speed": "速度", "faster": "高速", "fast": "高速",
    "accuracy": "精度", "performance": "性能", "score": "スコア", "scores": "スコア",
    "evaluate": "評価", "evaluation": "評価", "evaluated": "評価", "benchmark": "ベンチマーク",
    "benchmarks": "ベンチマーク", "metric": "指標", "metrics": "指標",
    "method": "手法", "methods": "手法", "approach": "アプローチ 手法", "technique": "手法",
    "architecture": "アーキテクチャ 構造", "structure": "構造", "component": "コンポーネント",
    "parameter": "パラメータ", "parameters": "パラメータ", "size": "サイズ 規模",
    "batch": "バッチ", "rate": "率", "epoch": "エポック", "epochs": "エポック",
    "step": "ステップ", "steps": "ステップ", "loss": "損失", "reward": "報酬",
    "inference": "推論", "reasoning": "推論", "generation": "生成", "generate": "生成",
    "video": "動画 ビデオ", "videos": "動画 ビデオ", "image": "画像", "images": "画像",
    "text": "テキスト", "language": "言語", "token": "トークン", "tokens": "トークン",
    "quantization": "量子化", "quantize": "量子化", "compression": "圧縮", "compress": "圧縮",
    "resolution": "解像度", "frame": "フレーム", "frames": "フレーム", "pixel": "ピクセル 画素",
    "pixels": "ピクセル 画素", "minimum": "最小", "maximum": "最大", "number": "数",
    "judge": "判定 評価", "constraint": "制約", "constraints": "制約",
    "frontend": "フロントエンド", "backend": "バックエンド", "database": "データベース",
    "app": "アプリ", "application": "アプリ", "idea": "アイデア", "ideas": "アイデア",
    "session": "セッション", "next": "次 今後", "plan": "方針 計画", "plans": "方針 計画",
    "venue": "会議", "conference": "会議", "published": "採択 発表", "author": "著者",
    "authors": "著者", "code": "コード", "release": "公開", "released": "公開",
    "solve": "解決", "solved": "解決", "human": "人間", "agent": "エージェント",
    "agents": "エージェント", "retrieval": "検索", "search": "検索", "embedding": "埋め込み",
    "embeddings": "埋め込み", "distillation": "蒸留", "distill": "蒸留", "pretraining": "事前学習",
    "fine-tuning": "ファインチューニング 微調整", "finetuning": "ファインチューニング 微調整",
    "correction": "修正", "medical": "医療", "device": "デバイス 端末", "devices": "デバイス 端末",
    "edge": "エッジ", "privacy": "プライバシー", "pruning": "削減 枝刈り", "diffusion": "拡散",
    "motion": "モーション 動き", "dance": "ダンス", "music": "音楽", "noise": "ノイズ",
    "sampling": "サンプリング", "attention": "注意 アテンション", "head": "ヘッド",
    "heads": "ヘッド", "context": "コンテキスト 文脈", "long": "長", "length": "長",
    "experiment": "実験", "experiments": "実験", "used": "使用", "use": "使用",
    "gpu": "GPU", "gpus": "GPU", "hardware": "ハードウェア", "machine": "マシン",
    "layer": "層", "layers": "層", "dimension": "次元", "dimensions": "次元",
    "translation": "翻訳", "multilingual": "多言語", "tokenizer": "トークナイザ",
    "chunking": "チャンキング", "chunk": "チャンク", "router": "ルーター",
    "scaling": "スケーリング", "quality": "品質", "duplicate": "重複", "deduplication": "重複排除",
    "privacy risk": "プライバシー", "why": "理由", "purpose": "目的", "goal": "目的",
    "future": "今後", "work": "課題", "baseline": "ベースライン", "baselines": "ベースライン",
    "compared": "比較", "comparison": "比較", "better": "向上", "stage": "段階",
    "stages": "段階 ステージ", "big": "大規模 大きい", "large": "大規模 大きい",
    "small": "小規模 小さい", "new": "新しい 新規", "novel": "新規 新しい", "propose": "提案",
    "proposed": "提案", "main": "主な", "contribution": "貢献", "contributions": "貢献",
    "key": "重要", "outperform": "上回る", "outperformed": "上回る", "sota": "最先端",
    "state-of-the-art": "最先端", "open-source": "公開", "public": "公開", "available": "公開",
    "repository": "リポジトリ", "repo": "リポジトリ", "github": "GitHub", "link": "リンク",
    "page": "ページ", "vocabulary": "語彙", "vocab": "語彙", "storage": "容量 ストレージ",
    "disk": "容量 ディスク", "latency": "遅延 レイテンシ", "throughput": "スループット",
    "efficiency": "効率", "efficient": "効率", "robust": "頑健", "robustness": "頑健",
    "generalization": "汎化", "generalize": "汎化", "bias": "偏り バイアス", "fairness": "公平性",
    "safety": "安全性", "hallucination": "ハルシネーション 幻覚", "prompt": "プロンプト",
    "prompts": "プロンプト", "instruction": "指示", "instructions": "指示", "user": "ユーザー",
    "users": "ユーザー", "feedback": "フィードバック", "annotation": "アノテーション",
    "label": "ラベル", "labels": "ラベル", "preference": "選好 好み", "alignment": "アラインメント",
    "policy": "方策 ポリシー", "environment": "環境", "environments": "環境", "task": "タスク",
    "tasks": "タスク", "domain": "ドメイン", "vision": "視覚 ビジョン", "visual": "視覚",
    "audio": "音声 オーディオ", "speech": "音声", "camera": "カメラ", "view": "視点 ビュー",
    "views": "視点 ビュー", "viewpoint": "視点", "consistency": "一貫性 整合性",
    "synthetic": "合成", "simulation": "シミュレーション", "theory": "理論",
    "theoretical": "理論", "proof": "証明", "analysis": "分析 解析", "ablation": "アブレーション",
    "error": "誤差 エラー", "rank": "ランク", "matrix": "行列", "weight": "重み", "weights": "重み",
    "gradient": "勾配", "optimizer": "オプティマイザ 最適化", "schedule": "スケジュール",
    "scheduler": "スケジューラ", "decay": "減衰", "regularization": "正則化",
    "normalization": "正規化", "sequence": "系列 シーケンス", "window": "ウィンドウ",
    "segment": "セグメント", "block": "ブロック", "blocks": "ブロック", "module": "モジュール",
    "encoder": "エンコーダ", "decoder": "デコーダ", "latent": "潜在", "space": "空間",
    "shift": "シフト", "pyramid": "ピラミッド", "region": "領域", "tile": "タイル",
    "tiles": "タイル", "patch": "パッチ", "query": "クエリ", "queries": "クエリ",
    "document": "ドキュメント 文書", "documents": "ドキュメント 文書", "boundary": "境界",
    "cell": "細胞 セル", "cells": "細胞 セル", "gene": "遺伝子", "genes": "遺伝子",
    "expression": "発現", "protein": "タンパク質", "health": "健康 ヘルスケア", "patient": "患者",
    "appointment": "予約", "planner": "プランナー", "tool": "ツール", "tools": "ツール",
    "function": "関数", "matcher": "マッチャー", "matching": "マッチング", "outlier": "外れ値",
    "outliers": "外れ値", "estimation": "推定", "pose": "姿勢", "robot": "ロボット",
    "game": "ゲーム", "thought": "思考", "thinking": "思考", "collapse": "崩壊",
    "iteration": "反復", "iterative": "反復", "iterations": "反復", "category": "カテゴリ 分類",
    "categories": "カテゴリ 分類", "taxonomy": "分類", "real-world": "現実 実世界",
    "conversation": "会話 対話", "chat": "チャット 会話", "subword": "サブワード", "bit": "ビット",
    "bits": "ビット", "precision": "精度", "fid": "FID", "generated": "生成", "quantized": "量子化",
    "calibration": "キャリブレーション 校正", "temperature": "温度", "decoding": "デコーディング",
    "size of": "サイズ", "how long": "時間 期間", "how many": "数", "how much": "量",
    "took": "時間 かかる", "take": "時間", "cluster": "クラスタ",
    "trainable": "学習可能", "frozen": "凍結", "adapter": "アダプター", "pretrained": "事前学習",
    "base": "ベース", "backbone": "バックボーン", "teacher": "教師", "student": "生徒",
    "reference": "参考文献", "references": "参考文献", "cite": "引用", "related": "関連",
    "tweet": "ツイート", "summary": "要約", "summarize": "要約", "explain": "説明",
    "difference": "違い 差", "differences": "違い 差", "advantage": "利点", "advantages": "利点",
    "disadvantage": "欠点", "drawback": "欠点", "drawbacks": "欠点", "issue": "問題 課題",
    "issues": "問題 課題", "challenge": "課題", "challenges": "課題", "failure": "失敗",
    "optimization": "最適化", "optimize": "最適化", "second": "秒", "seconds": "秒",
    "minute": "分", "minutes": "分", "single": "単一", "source": "元 ソース",
    "pair": "ペア", "pairs": "ペア", "sample": "サンプル", "samples": "サンプル",
    "ratio": "比率 割合", "mixture": "混合", "mix": "混合", "stack": "構成",
    "accuracy gain": "向上", "speedup": "高速化 倍", "times": "倍", "percent": "%",
}
# Japanese question words whose notes often keep the English ("Learning rate: 5e-4").
JAPANESE: dict[str, str] = {
    "学習率": "learning rate lr", "バッチサイズ": "batch size", "オプティマイザ": "optimizer",
    "最適化手法": "optimizer", "重み減衰": "weight decay", "エポック": "epoch epochs",
    "ステップ数": "steps", "解像度": "resolution", "評価指標": "metric metrics",
    "温度": "temperature", "ウォームアップ": "warmup", "学習データ": "training data dataset",
    "データセット": "dataset", "損失関数": "loss", "精度": "accuracy", "推論速度": "inference",
    "ハードウェア": "hardware GPU", "マシン": "hardware GPU CPU", "スケジューラ": "scheduler",
    "ドロップアウト": "dropout", "パラメータ数": "parameters", "ベースモデル": "base model",
}
# fmt: on
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")
# "日本語 (English)" / "日本語（English）" and "English（日本語）" as notes define terms.
_JA = r"[\u3040-\u30ff\u3400-\u9fff]{2,12}"
_EN = r"[A-Za-z][A-Za-z \-]{2,40}?"
_JA_THEN_EN = re.compile(rf"({_JA})\s*[(（]({_EN})[)）]")
_EN_THEN_JA = re.compile(rf"({_EN})\s*[(（]({_JA})[)）]")
_PARTICLE_PREFIX = re.compile(r"^.*[のをにはがでとへもや]")
_HIRAGANA = "".join(chr(c) for c in range(0x3041, 0x30A0))
_TERM_END = re.compile(r"[\u30a0-\u30ff\u3400-\u9fff]$")


def mine_pairs(texts: Iterable[str]) -> dict[str, str]:
    """English term (lower case) → Japanese term, as the notes pair them in parentheses."""
    pairs: dict[str, str] = {}
    for text in texts:
        for ja, en in _JA_THEN_EN.findall(text):
            if term := _term(ja):
                pairs.setdefault(en.strip().lower(), term)
        for en, ja in _EN_THEN_JA.findall(text):
            if term := _term(ja):
                pairs.setdefault(en.strip().lower(), term)
    return pairs


def _term(ja: str) -> str | None:
    """The term a Japanese run before "(English)" ends with: "著者らは鳥瞰図" → "鳥瞰図",
    "のことを当たり券" → "当たり券"; a run ending in kana ("…かったそう") names nothing."""
    term = _PARTICLE_PREFIX.sub("", ja).lstrip(_HIRAGANA)
    return term if len(term) >= 2 and _TERM_END.search(term) else None


def _reverse() -> dict[str, str]:
    reverse: dict[str, list[str]] = {}
    for en, jas in GENERAL.items():
        for ja in jas.split():
            if not ja.isascii():
                reverse.setdefault(ja, []).append(en)
    return {ja: " ".join(ens) for ja, ens in reverse.items()}


# Japanese word → the English the notes may use for it (titles are in English).
ENGLISH: dict[str, str] = {
    **_reverse(), **JAPANESE, "トークナイザ": "tokenizer tokenization", "拡散": "diffusion",
    "ファインチューニング": "fine-tuning finetuning", "微調整": "fine-tuning",
    "量子化": "quantization",
    "蒸留": "distillation distill", "検索": "retrieval search", "埋め込み": "embedding",
    "多言語": "multilingual", "翻訳": "translation", "動画": "video", "画像": "image",
    "推論": "reasoning inference", "強化学習": "reinforcement rl", "報酬": "reward",
}


def english_for(word: str, mined: Mapping[str, str] | None = None) -> str:
    """The English words a Japanese word may appear as in English titles and terms."""
    found = [ENGLISH[word]] if word in ENGLISH else []
    found += [en for en, ja in (mined or {}).items() if ja == word]
    return " ".join(found)


def gloss_japanese(question: str, mined: Mapping[str, str] | None = None) -> str:
    """English words for the Japanese terms of the question (the notes' own pairs too)."""
    found = [en for ja, en in JAPANESE.items() if ja in question]
    found += [en for en, ja in (mined or {}).items() if len(ja) > 2 and ja in question]
    return " ".join(dict.fromkeys(found))


def gloss(question: str, mined: Mapping[str, str] | None = None) -> str:
    """Japanese words for the English words (and mined terms) of the question; "" if none."""
    lowered = question.lower()
    words = [w.lower() for w in _WORD.findall(question)]
    found = [GENERAL[w] for w in words if w in GENERAL]
    found += [ja for en, ja in GENERAL.items() if " " in en and en in lowered]
    found += [ja for en, ja in (mined or {}).items() if len(en) > 3 and en in lowered]
    return " ".join(dict.fromkeys(found))
