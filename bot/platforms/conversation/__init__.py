"""The platform-neutral conversation: access, exactly-once, memory, the answer stream."""

from bot.platforms.conversation.outlet import Outlet
from bot.platforms.conversation.policy import BotPolicy
from bot.platforms.conversation.relay import EditBudget
from bot.platforms.conversation.service import Asker, Conversation

__all__ = ["Asker", "BotPolicy", "Conversation", "EditBudget", "Outlet"]
