"""Deployment files agree with the code: the Slack manifest's events, scopes and commands."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from bot.app.settings import Settings
from bot.core.phrases import SUGGESTED_PROMPTS

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
EVENT_SCOPES = {
    "app_mention": "app_mentions:read",
    "message.im": "im:history",
    "message.channels": "channels:history",
    "message.groups": "groups:history",
    "assistant_thread_started": "assistant:write",
}


def test_slack_manifest_declares_what_the_bot_uses():
    manifest = yaml.safe_load((DEPLOY / "slack-manifest.yaml").read_text(encoding="utf-8"))
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert events == set(EVENT_SCOPES)
    assert {EVENT_SCOPES[e] for e in events} | {"chat:write", "commands"} == scopes
    defaults = Settings(_env_file=None)
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    # Every command the bot registers (one setting each) is in the manifest, and no other.
    fields = [f for f in Settings.model_fields if f.startswith("slack_command_")]
    handled = {getattr(defaults, f) for f in fields}
    assert commands == handled and len(handled) == 5, (commands, handled)
    assert manifest["settings"]["interactivity"]["is_enabled"], "feedback buttons need it"
    assert manifest["settings"]["socket_mode_enabled"] is True
    view = manifest["features"]["assistant_view"]
    offered = [(p["title"], p["message"]) for p in view["suggested_prompts"]]
    assert offered == list(SUGGESTED_PROMPTS), "the manifest offers what the bot offers"


def test_the_manifest_subscribes_to_exactly_the_events_the_bot_handles():
    from bot.platforms.slack.app import listeners

    manifest = yaml.safe_load((DEPLOY / "slack-manifest.yaml").read_text(encoding="utf-8"))
    declared = {e.split(".")[0] for e in manifest["settings"]["event_subscriptions"]["bot_events"]}
    handled = set(listeners(SimpleNamespace(on_assistant_thread=1, on_mention=2, on_message=3)))
    assert declared == handled


def test_env_example_lists_every_setting():
    import re

    text = (DEPLOY.parent / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^#? ?NOTESBOT_([A-Z0-9_]+)=", text, re.M))
    fields = {name.upper() for name in Settings.model_fields}
    assert fields - listed == set(), "settings missing from .env.example"
    assert listed - fields == set(), ".env.example names settings that do not exist"


def interpolated(text: str) -> str:
    """Compose's own step before validation: ${VAR:-default} → default, $$ → $."""
    import re

    pattern = re.compile(r"\$\$|\$\{(\w+)(?::?-([^}]*))?\}")
    return pattern.sub(lambda m: "$" if m[0] == "$$" else (m[2] or ""), text)


def test_compose_file_is_valid_compose_and_wired_through_env():
    import re

    import compose_spec

    text = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    document = yaml.safe_load(interpolated(text))  # YAML anchors and merges resolved
    compose = compose_spec.PyCompose.from_yaml(yaml.safe_dump(document))  # strict parser
    compose_spec.ComposeSpecification.model_validate(compose.to_dict())
    services = document["services"]
    assert set(services) >= {"bot", "ingest", "ingest-periodic", "chroma", "vllm", "vllm-embed"}
    assert services["bot"]["command"] == ["serve"] and services["ingest"]["command"] == ["ingest"]
    assert services["bot"]["depends_on"]["ingest"]["condition"] == "service_completed_successfully"
    for name in ("vllm", "vllm-embed"):
        assert services[name]["profiles"] == ["gpu"]
        device = services[name]["deploy"]["resources"]["reservations"]["devices"][0]
        assert device["capabilities"] == ["gpu"]
    assert services["bot"]["environment"]["NOTESBOT_CHROMA_HOST"] == "chroma"
    assert (DEPLOY.parent / services["bot"]["build"]["dockerfile"]).is_file()
    names = set(re.findall(r"NOTESBOT_([A-Z0-9_]+)", text)) - {"NOTES_PATH", "INGEST_EVERY"}
    assert names <= {f.upper() for f in Settings.model_fields}, "compose names real settings"


def test_dockerfile_is_slim_non_root_and_torch_only_as_a_cpu_extra():
    import re

    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    stages = re.findall(r"^FROM (\S+)", text, re.M)
    assert stages == ["python:3.11-slim", "python:3.11-slim"]
    final = text.split("\nFROM ")[-1]
    assert re.search(r"^USER notesbot$", final, re.M) and "useradd" in final
    torch = text.index("download.pytorch.org/whl/cpu torch==")
    assert 'if [ "$EXTRAS" = "torch" ]' in text[:torch], "torch only with the extra"
    assert torch < text.index('pip install "/src'), "CPU torch before the package pulls any"
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", text, re.M):
        for path in source.split():
            assert (DEPLOY.parent / path).exists(), f"COPY {path}: missing"
    assert "/healthz" in text and 'ENTRYPOINT ["notesbot"]' in text


def test_systemd_units_verify(tmp_path):
    import shutil
    import subprocess
    import sys

    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed here")
    notesbot = Path(sys.executable).with_name("notesbot")
    units = sorted((DEPLOY / "systemd").glob("*.service")) + sorted(
        (DEPLOY / "systemd").glob("*.timer")
    )
    assert {u.name for u in units} >= {"notesbot.service", "notesbot-ingest.timer"}
    for unit in units:  # the installed layout, pointed at this checkout's binary
        text = unit.read_text(encoding="utf-8").replace("/opt/notesbot/.venv/bin/notesbot",
                                                         str(notesbot))
        text = text.replace("User=notesbot", "User=root").replace("Group=notesbot", "Group=root")
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *(f"./{u.name}" for u in units)],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    # Unknown keys and bad values are only warnings (exit 0): any output is a failure.
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
