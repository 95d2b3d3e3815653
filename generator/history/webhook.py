"""Posting a digest to a chat: Slack and Microsoft Teams incoming webhooks.

A :class:`Digest` is plain text (a title and items with optional links and detail lines).
Each chat gets a payload in its own format, with the record text escaped for it, so a title
such as ``<!channel> *urgent*`` or ``[click](https://evil)`` arrives as literal text and can
neither ping a channel nor forge a link:

- Slack (``{"text", "blocks"}`` with ``mrkdwn``): ``& < >`` become entities, the only escaping
  Slack defines; links are ``<url|label>`` built from URLs we made.
- Teams (a message with one Adaptive Card): TextBlock Markdown punctuation gets a backslash,
  and ``< >`` become entities.

:func:`post` sends one payload, each attempt bounded in total time (connecting, sending and
reading the answer: a server that drips its answer is cut off at the deadline), with bounded
retries: a 5xx answer or 429 (rate limited; ``Retry-After`` honoured up to a limit) is tried
again; a redirect (never followed) or a 4xx answer is a :class:`WebhookError` at once, and so is
a timeout or a refused connection after the last attempt. Error messages never contain the
webhook URL, nor a server's answer that repeats part of it: it is a secret.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import math
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..core.escape import WEB_SCHEMES, safe_url
from ..core.problems import printable

KINDS = ("slack", "teams")
ATTEMPTS = 3
TIMEOUT = 10.0
BACKOFF = 1.0  # seconds before the second attempt; doubled for each later one
MAX_RETRY_AFTER = 30.0
MAX_ITEMS = 40  # a chat message is for reading, not for archives: the rest is a link away
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class WebhookError(Exception):
    """The message could not be delivered (the text says why, never the URL)."""


@dataclass(frozen=True)
class Item:
    text: str  # one line, plain text
    url: str | None = None
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Digest:
    title: str
    items: tuple[Item, ...] = ()
    link: str | None = None  # the "What changed" page
    footer: str = ""


# ---------------------------------------------------------------------------
# Escaping

# Slack's mrkdwn decodes only these three entities and has no escape for its formatting marks
# (*bold*, _italic_, ~strike~, `code`): those become look-alike characters it does not read.
_SLACK = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;",
                        "*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb"})
_TEAMS_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")
_SPACE = re.compile(r"\s+")


def _line(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def slack_text(text: str) -> str:
    """Plain text for Slack ``mrkdwn``: ``& < >`` as entities, formatting marks as look-alikes,
    and control characters as visible escapes."""
    return printable(_line(text)).translate(_SLACK)


def teams_text(text: str) -> str:
    """Plain text for a Teams TextBlock: Markdown punctuation escaped, HTML's ``< >`` inert."""
    return _TEAMS_PUNCT.sub(r"\\\1", printable(_line(text))).replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------------------
# Payloads


def _shown(digest: Digest) -> tuple[list[Item], int]:
    items = list(digest.items[:MAX_ITEMS])
    return items, len(digest.items) - len(items)


def slack_payload(digest: Digest) -> dict[str, Any]:
    items, more = _shown(digest)
    lines = []
    for item in items:
        url = safe_url(item.url, WEB_SCHEMES)
        label = slack_text(item.text)
        lines.append(f"• <{url}|{label}>" if url else f"• {label}")
        lines += [f"    {slack_text(d)}" for d in item.details]
    if more:
        lines.append(f"…and {more} more.")
    page = safe_url(digest.link, WEB_SCHEMES)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _line(digest.title)[:150]}},
    ]
    # A section's text is limited to 3,000 characters: split the list over sections.
    chunk: list[str] = []
    for line in lines:
        if sum(len(x) + 1 for x in chunk) + len(line) > 2900 and chunk:
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(chunk)}})
            chunk = []
        chunk.append(line[:2900])
    if chunk:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(chunk)}})
    footer = [slack_text(digest.footer)] if digest.footer else []
    if page:
        footer.append(f"<{page}|What changed>")
    if footer:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": " · ".join(footer)}]})
    return {"text": slack_text(digest.title), "blocks": blocks}


def teams_payload(digest: Digest) -> dict[str, Any]:
    items, more = _shown(digest)
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": teams_text(digest.title), "weight": "Bolder", "size": "Medium",
         "wrap": True},
    ]
    for item in items:
        url = safe_url(item.url, WEB_SCHEMES)
        label = teams_text(item.text)
        text = f"- [{label}]({url})" if url else f"- {label}"
        text += "".join(f"\n\n    {teams_text(d)}" for d in item.details)
        body.append({"type": "TextBlock", "text": text, "wrap": True, "spacing": "Small"})
    if more:
        body.append({"type": "TextBlock", "text": f"…and {more} more.", "wrap": True})
    if digest.footer:
        body.append({"type": "TextBlock", "text": teams_text(digest.footer), "wrap": True,
                     "isSubtle": True, "size": "Small"})
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    page = safe_url(digest.link, WEB_SCHEMES)
    if page:
        card["actions"] = [{"type": "Action.OpenUrl", "title": "What changed", "url": page}]
    return {"type": "message", "attachments": [
        {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card},
    ]}


PAYLOADS: dict[str, Callable[[Digest], dict[str, Any]]] = {"slack": slack_payload, "teams": teams_payload}


# ---------------------------------------------------------------------------
# Sending


class _Expired(Exception):
    """An attempt ran out of its time."""


@dataclass(frozen=True)
class Target:
    """A checked webhook address."""

    scheme: str
    host: str
    port: int | None
    path: str  # path and query, as sent in the request line


_NOT_SHOWN = "(the URL is not shown: it is a secret)"


def check_url(url: str, kind: str) -> Target:
    """A webhook URL must be https (plain http only to this machine, for tests), one line of
    ASCII without spaces, with a host and a numeric port if any. Every refusal is a
    :class:`WebhookError` that does not show the URL."""
    name = "Slack" if kind == "slack" else "Teams"
    text = url.strip()
    if not text.isascii() or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in text):
        raise WebhookError(f"the {name} webhook URL holds a space, a line break, a control character or "
                           f"a non-ASCII character; copy it again from the chat's settings {_NOT_SHOWN}")
    try:
        parts = urlsplit(text)
        host, port = parts.hostname, parts.port
    except ValueError:  # "https://[::1", a port that is not a number
        raise WebhookError(f"the {name} webhook URL is not a valid address (its host or port cannot be "
                           f"read) {_NOT_SHOWN}") from None
    if host and (parts.scheme == "https" or (parts.scheme == "http" and host in LOOPBACK)):
        query = f"?{parts.query}" if parts.query else ""
        return Target(parts.scheme, host, port, (parts.path or "/") + query)
    raise WebhookError(f"the {kind} webhook URL must start with https:// {_NOT_SHOWN}")


def _retry_after(headers: Any, default: float) -> float:
    value = headers.get("Retry-After") if headers is not None else None
    try:
        seconds = float(value) if value is not None else default
    except ValueError:
        return default
    return min(max(seconds, 0.0), MAX_RETRY_AFTER) if math.isfinite(seconds) else default


def _redacted(text: str, url: str, target: Target) -> str:
    """``text`` (a server's answer, an error), or nothing when it repeats any part of the URL
    that could be the secret (its path or query, or a long enough piece of them)."""
    pieces = [p for p in re.split(r"[/?&=]", target.path) if len(p) >= 6]
    if url.strip() in text or target.path in text or any(p in text for p in pieces):
        return ""
    return text


def _attempt(target: Target, data: bytes, timeout: float) -> tuple[int, Any, bytes]:
    """One POST, bounded to ``timeout`` seconds in all (connecting, sending, the answer's
    headers and body): at the deadline the connection is closed under it. Never follows a
    redirect (http.client does not)."""
    cls = http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
    connection = cls(target.host, target.port, timeout=timeout)
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        sock = connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(timeout, expire)
    timer.daemon = True
    timer.start()
    try:
        connection.request("POST", target.path, body=data,
                           headers={"Content-Type": "application/json; charset=utf-8",
                                    "User-Agent": "playbook-digest"})
        response = connection.getresponse()
        body = response.read(65536)
        if expired.is_set():
            raise _Expired
        return response.status, response.headers, body
    except (OSError, http.client.HTTPException):
        if expired.is_set():
            raise _Expired from None
        raise
    finally:
        timer.cancel()
        connection.close()


def post(url: str, payload: dict[str, Any], kind: str, *, attempts: int = ATTEMPTS,
         timeout: float = TIMEOUT, backoff: float = BACKOFF,
         sleep: Callable[[float], None] = time.sleep) -> int:
    """POST ``payload`` as JSON; returns the number of attempts it took. Raises
    :class:`WebhookError` (and nothing else) on a 3xx or 4xx answer, a timeout, a URL that is
    not usable, or when every attempt failed; its text never holds the URL, nor an answer that
    repeats it."""
    target = check_url(url, kind)
    name = "Slack" if kind == "slack" else "Teams"
    try:
        return _post(url, target, json.dumps(payload, ensure_ascii=False).encode("utf-8"), name,
                     attempts, timeout, backoff, sleep)
    except WebhookError as exc:
        if _redacted(str(exc), url, target) != str(exc):  # a last guard: never the secret
            raise WebhookError(f"the {name} webhook failed {_NOT_SHOWN}") from None
        raise
    except Exception as exc:
        raise WebhookError(f"the {name} webhook failed ({type(exc).__name__}) {_NOT_SHOWN}") from None


def _post(url: str, target: Target, data: bytes, name: str, attempts: int, timeout: float,
          backoff: float, sleep: Callable[[float], None]) -> int:
    wait = backoff
    last = ""
    for attempt in range(1, attempts + 1):
        delay = wait
        try:
            status, headers, body = _attempt(target, data, timeout)
        except _Expired:
            # The chat may have received it: trying again could post the digest twice.
            raise WebhookError(f"the {name} webhook did not answer within {timeout:g} s; "
                               "the message may or may not have been posted") from None
        except TimeoutError:
            raise WebhookError(f"the {name} webhook did not answer within {timeout:g} s; "
                               "the message may or may not have been posted") from None
        except (OSError, http.client.HTTPException) as exc:
            reason = _redacted(getattr(exc, "strerror", None) or str(exc) or type(exc).__name__, url, target)
            last = f"cannot connect: {_line(reason)[:200] or type(exc).__name__}"
        else:
            if 200 <= status < 300:
                return attempt
            text = _redacted(_line(body[:300].decode("utf-8", "replace")), url, target)[:200]
            reason = f"HTTP {status}" + (f": {text}" if text else "")
            if 300 <= status < 400:
                raise WebhookError(f"the {name} webhook answered with a redirect ({reason}), which is "
                                   "never followed: the message was not posted; check the webhook URL "
                                   "secret") from None
            if status != 429 and status < 500:
                raise WebhookError(f"the {name} webhook refused the message ({reason}); check the "
                                   "webhook URL secret and the payload") from None
            last = reason
            if status == 429:
                delay = _retry_after(headers, wait)
        if attempt < attempts:
            sleep(delay)
            wait *= 2
    raise WebhookError(f"the {name} webhook failed {attempts} times (last: {last}); giving up")
