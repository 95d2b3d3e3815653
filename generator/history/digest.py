"""The weekly digest: last week's changes as Markdown (for the job summary) and, when chat
webhooks are configured, posted to Slack and Microsoft Teams (:mod:`generator.history.webhook`).

The week is the seven days before ``today`` (run on a Monday: Monday to Sunday of the week
before). Webhook URLs are secrets: they are read from the environment
(``PLAYBOOK_SLACK_WEBHOOK``, ``PLAYBOOK_TEAMS_WEBHOOK``), never from the command line, and
never printed. Nothing is posted in a week without changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ..core.dates import digest_title
from ..rules.audience import DEFAULT
from . import changelog, webhook

ENVIRONMENT = {"slack": "PLAYBOOK_SLACK_WEBHOOK", "teams": "PLAYBOOK_TEAMS_WEBHOOK"}
SITE_URL = "PLAYBOOK_SITE_URL"


@dataclass
class Result:
    start: date
    end: date
    markdown: str
    changes: int
    posted: list[str] = field(default_factory=list)  # the chats it was posted to
    failures: list[str] = field(default_factory=list)  # why a post failed (never the URL)


def week_before(today: date) -> tuple[date, date]:
    return today - timedelta(days=7), today - timedelta(days=1)


def run(root: Path, today: date, environ: Mapping[str, str], *, audience: str = DEFAULT,
        site_url: str | None = None, post: bool = True) -> Result:
    """Make the digest of the week before ``today`` and post it to every configured chat (a
    failed post is in ``failures``; the others are still tried). Raises
    :class:`generator.core.problems.PlaybookError` when the playbook has errors."""
    start, end = week_before(today)
    log = changelog.load(root, today, audience)
    items = log.between(start, end)
    title = digest_title(start, end)
    result = Result(start, end, changelog.markdown(log, items, title), len(items))
    url = site_url or environ.get(SITE_URL) or None
    message = changelog.digest(log, start, end, site_url=url)
    if message is None or not post:
        return result
    for kind, variable in ENVIRONMENT.items():
        hook = environ.get(variable, "").strip()
        if not hook:
            continue
        try:
            webhook.post(hook, webhook.PAYLOADS[kind](message), kind)
            result.posted.append(kind)
        except webhook.WebhookError as exc:
            result.failures.append(str(exc))
    return result
