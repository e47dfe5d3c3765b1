"""`notesbot`: the command line. Each module registers its commands on one Typer app."""

from __future__ import annotations

import typer

from bot.cli import (
    answer_commands,
    arxiv_commands,
    bot_commands,
    eval_commands,
    feedback_commands,
    index_commands,
    ops_commands,
)


def make_app() -> typer.Typer:
    app = typer.Typer(help="A chatbot over your paper notes.", no_args_is_help=True)
    index_commands.register(app)
    answer_commands.register(app)
    eval_commands.register(app)
    bot_commands.register(app)
    ops_commands.register(app)
    feedback_commands.register(app)
    arxiv_commands.register(app)
    return app


app = make_app()
