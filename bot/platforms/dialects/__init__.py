"""What each platform's text looks like, both ways: Slack's markup in (<@U…>, <url|label>),
answers out as Slack mrkdwn/blocks or Telegram HTML (Markdown walked once, split at each
platform's limits). Pure: no SDK calls."""
