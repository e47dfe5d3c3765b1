"""Deployment files agree with the code: the Slack manifest's events, scopes and commands."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.config import Settings

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
EVENT_SCOPES = {
    "app_mention": "app_mentions:read",
    "message.im": "im:history",
    "message.channels": "channels:history",
    "message.groups": "groups:history",
}


def test_slack_manifest_declares_what_the_bot_uses():
    manifest = yaml.safe_load((DEPLOY / "slack-manifest.yaml").read_text(encoding="utf-8"))
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert events == set(EVENT_SCOPES)
    assert {EVENT_SCOPES[e] for e in events} | {"chat:write", "commands"} == scopes
    defaults = Settings(_env_file=None)
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert commands == {
        defaults.slack_command_ask, defaults.slack_command_paper, defaults.slack_command_search
    }
    assert manifest["settings"]["interactivity"]["is_enabled"], "feedback buttons need it"
    assert manifest["settings"]["socket_mode_enabled"] is True


def test_env_example_lists_every_setting():
    import re

    text = (DEPLOY.parent / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^#? ?NOTESBOT_([A-Z0-9_]+)=", text, re.M))
    fields = {name.upper() for name in Settings.model_fields}
    assert fields - listed == set(), "settings missing from .env.example"
    assert listed - fields == set(), ".env.example names settings that do not exist"
