"""Posting to Slack and Teams incoming webhooks, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from generator.history import webhook
from generator.history.webhook import Digest, Item, WebhookError

from .chat_server import chat

HOSTILE = "<!channel> *MQL* & [click](https://evil.example) <https://evil.example|x> _a_"


DIGEST = Digest(
    title="Playbook changes, 2 to 8 March 2026",
    items=(
        Item("Changed · Lifecycle stage: Marketing qualified lead", "https://playbook.example/stages/mql/",
             ("Threshold: 60 → 70",)),
        Item(HOSTILE, "https://playbook.example/slas/x/", (HOSTILE,)),
    ),
    link="https://playbook.example/changes/",
    footer="2 changes by 2 people",
)


def no_sleep(_: float) -> None:
    pass


def test_slack_payload_shape_and_escaping() -> None:
    with chat([(200, {})]) as (url, recorder):
        assert webhook.post(url, webhook.slack_payload(DIGEST), "slack", sleep=no_sleep) == 1
    path, headers, body = recorder.requests[0]
    assert path == "/hooks/T000/B000/secret-token"
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    payload = json.loads(body)
    assert payload["text"] == "Playbook changes, 2 to 8 March 2026"
    assert [b["type"] for b in payload["blocks"]] == ["header", "section", "context"]
    assert payload["blocks"][0]["text"] == {"type": "plain_text", "text": "Playbook changes, 2 to 8 March 2026"}
    section = payload["blocks"][1]["text"]
    assert section["type"] == "mrkdwn"
    # mrkdwn's marks as look-alikes (issue 24 item 11): *MQL* is not bold, _a_ not italic.
    escaped = ("&lt;!channel&gt; \u2217MQL\u2217 &amp; [click](https://evil.example) "
               "&lt;https://evil.example|x&gt; \u02cda\u02cd")
    assert section["text"] == (
        "• <https://playbook.example/stages/mql/|Changed · Lifecycle stage: Marketing qualified lead>\n"
        "    Threshold: 60 → 70\n"
        f"• <https://playbook.example/slas/x/|{escaped}>\n"
        f"    {escaped}"
    )
    assert "<!channel>" not in body.decode()
    assert payload["blocks"][2]["elements"][0]["text"] == (
        "2 changes by 2 people · <https://playbook.example/changes/|What changed>")


def test_teams_payload_shape_and_escaping() -> None:
    with chat([(202, {})]) as (url, recorder):
        webhook.post(url, webhook.teams_payload(DIGEST), "teams", sleep=no_sleep)
    payload = json.loads(recorder.requests[0][2])
    assert payload["type"] == "message"
    attachment = payload["attachments"][0]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    assert card["actions"] == [{"type": "Action.OpenUrl", "title": "What changed",
                                "url": "https://playbook.example/changes/"}]
    texts = [block["text"] for block in card["body"]]
    assert texts[1] == ("- [Changed · Lifecycle stage: Marketing qualified lead]"
                        "(https://playbook.example/stages/mql/)\n\n    Threshold: 60 → 70")
    escaped = (r"&lt;\!channel&gt; \*MQL\* & \[click\]\(https://evil\.example\) "
               r"&lt;https://evil\.example\|x&gt; \_a\_")
    assert texts[2] == f"- [{escaped}](https://playbook.example/slas/x/)\n\n    {escaped}"


def test_an_unsafe_item_url_is_left_out_and_a_link_breaking_one_encoded() -> None:
    """The pages' one rule for links (escape.safe_url, web schemes only): a script URL is left
    out; a ``|`` or ``>`` that would end Slack's ``<url|text>`` early is percent-encoded."""
    digest = Digest("t", (Item("x", "javascript:alert(1)"), Item("y", "https://a.example/|evil>"),
                          Item("z", "mailto:a@b.example")))
    text = webhook.slack_payload(digest)["blocks"][1]["text"]["text"]
    assert text == "• x\n• <https://a.example/%7Cevil%3E|y>\n• z"


def test_retries_on_5xx_then_succeeds() -> None:
    slept: list[float] = []
    with chat([(500, {}), (503, {}), (200, {})]) as (url, recorder):
        attempts = webhook.post(url, {"text": "x"}, "slack", backoff=0.5, sleep=slept.append)
    assert attempts == 3
    assert len(recorder.requests) == 3
    assert slept == [0.5, 1.0]


def test_gives_up_after_bounded_5xx_attempts() -> None:
    with chat([(502, {})]) as (url, recorder), pytest.raises(WebhookError) as caught:
        webhook.post(url, {"text": "x"}, "teams", attempts=3, sleep=no_sleep)
    assert len(recorder.requests) == 3
    assert str(caught.value) == ("the Teams webhook failed 3 times (last: HTTP 502: invalid_payload); "
                                 "giving up")
    assert "secret-token" not in str(caught.value)


def test_rate_limit_honours_retry_after() -> None:
    slept: list[float] = []
    with chat([(429, {"Retry-After": "2"}), (200, {})]) as (url, recorder):
        assert not recorder.requests
        assert webhook.post(url, {"text": "x"}, "slack", sleep=slept.append) == 2
    assert slept == [2.0]


def test_4xx_is_a_clear_error_at_once() -> None:
    with chat([(404, {})]) as (url, recorder), pytest.raises(WebhookError) as caught:
        webhook.post(url, {"text": "x"}, "slack", sleep=no_sleep)
    assert len(recorder.requests) == 1
    assert str(caught.value) == ("the Slack webhook refused the message (HTTP 404: invalid_payload); "
                                 "check the webhook URL secret and the payload")
    assert "secret-token" not in str(caught.value)


def test_timeout_is_an_error_and_not_retried() -> None:
    with chat([(200, {})], delay=1.5) as (url, recorder), pytest.raises(WebhookError) as caught:
        webhook.post(url, {"text": "x"}, "slack", timeout=0.3, sleep=no_sleep)
    assert len(recorder.requests) == 1
    assert str(caught.value) == ("the Slack webhook did not answer within 0.3 s; the message may or may "
                                 "not have been posted")


def test_connection_refused_is_retried_then_an_error() -> None:
    with chat([(200, {})]) as (url, _):
        pass  # the server is gone: nothing listens on that port any more
    slept: list[float] = []
    with pytest.raises(WebhookError) as caught:
        webhook.post(url, {"text": "x"}, "slack", attempts=2, sleep=slept.append)
    assert str(caught.value).startswith("the Slack webhook failed 2 times (last: cannot connect:")
    assert len(slept) == 1


@pytest.mark.parametrize("url", ["http://chat.example/hook", "ftp://chat.example/x", "not-a-url", ""])
def test_only_https_urls_or_loopback_are_accepted(url: str) -> None:
    with pytest.raises(WebhookError, match="must start with https://"):
        webhook.post(url, {}, "slack", sleep=no_sleep)


def test_long_digests_are_cut_with_a_count() -> None:
    digest = Digest("t", tuple(Item(f"item {n}") for n in range(webhook.MAX_ITEMS + 5)))
    payload: dict[str, Any] = webhook.slack_payload(digest)
    text = "\n".join(b["text"]["text"] for b in payload["blocks"] if b["type"] == "section")
    assert text.endswith(f"• item {webhook.MAX_ITEMS - 1}\n…and 5 more.")
    assert all(len(b["text"]["text"]) <= 3000 for b in payload["blocks"] if b["type"] == "section")


def test_slack_text_reads_no_formatting_mark_and_no_control_character() -> None:
    """mrkdwn has no escape for *bold*, _italic_, ~strike~ or `code`: they become look-alikes that
    Slack does not read as marks; ``& < >`` are entities; control characters show as escapes."""
    assert webhook.slack_text("*Q4* _plan_ ~old~ `x` <@here> & \x1b[2J\x07") == (
        "\u2217Q4\u2217 \u02cdplan\u02cd \u223cold\u223c \u02cbx\u02cb &lt;@here&gt; &amp; \\x1b[2J\\x07")
    assert webhook.teams_text("a\x1bb") == "a\\\\x1bb"


# ---------------------------------------------------------------------------
# Issue 24, points 3, 4 and 7: the secret is never printed, no redirect is followed, each attempt
# is bounded in total time.

SECRET = "secret-token"


@contextmanager
def raw_server(answer: Callable[[socket.socket], None]) -> Iterator[str]:
    """A server on 127.0.0.1 that reads one request per connection and hands the socket to
    ``answer`` (whatever bytes, at whatever pace)."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(5)
                try:
                    conn.recv(65536)
                    answer(conn)
                except OSError:
                    pass  # the client went away

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/hooks/T000/B000/{SECRET}"
    finally:
        stop.set()
        thread.join(5)
        listener.close()


def test_an_answer_that_repeats_the_url_is_not_shown() -> None:
    def echo(conn: socket.socket) -> None:
        body = f"no such hook: /hooks/T000/B000/{SECRET}".encode()
        conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: %d\r\n\r\n" % len(body) + body)

    with raw_server(echo) as url, pytest.raises(WebhookError) as caught:
        webhook.post(url, {"text": "x"}, "slack", sleep=no_sleep)
    assert str(caught.value) == ("the Slack webhook refused the message (HTTP 404); check the webhook URL "
                                 "secret and the payload")


@pytest.mark.parametrize(("url", "why"), [
    (f"https://hooks.example/T000/{SECRET} x", "holds a space, a line break"),
    (f"https://hooks.example/T000/\n{SECRET}", "holds a space, a line break"),
    (f"https://hooks.example/T000/\u00e9{SECRET}", "non-ASCII character"),
    (f"https://[::1/{SECRET}", "is not a valid address"),
    (f"https://hooks.example:port/{SECRET}", "is not a valid address"),
])
def test_an_unusable_url_is_one_line_without_the_secret(url: str, why: str) -> None:
    with pytest.raises(WebhookError) as caught:
        webhook.post(url, {"text": "x"}, "teams", sleep=no_sleep)
    message = str(caught.value)
    assert why in message and "\n" not in message and SECRET not in message and "hooks.example" not in message
    assert message.endswith("(the URL is not shown: it is a secret)")


def test_retry_after_that_is_not_a_number_waits_the_usual_time() -> None:
    slept: list[float] = []
    with chat([(429, {"Retry-After": "nan"}), (429, {"Retry-After": "inf"}), (200, {})]) as (url, _):
        assert webhook.post(url, {"text": "x"}, "slack", backoff=0.5, sleep=slept.append) == 3
    assert slept == [0.5, 1.0]


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_a_failed_post_and_never_followed(status: int) -> None:
    with chat([(200, {})]) as (elsewhere, followed), \
            chat([(status, {"Location": elsewhere.replace("127.0.0.1", "2130706433")})]) as (url, recorder), \
            pytest.raises(WebhookError) as caught:
        webhook.post(url, {"text": "x"}, "slack", sleep=no_sleep)
    assert len(recorder.requests) == 1 and followed.requests == []
    assert str(caught.value).startswith(f"the Slack webhook answered with a redirect (HTTP {status}")
    assert "not posted" in str(caught.value) and SECRET not in str(caught.value)


def test_a_server_that_drips_its_answer_is_cut_off_at_the_attempts_deadline() -> None:
    """A byte at a time, each well within the timeout: only a bound on the whole attempt ends it."""
    done = threading.Event()

    def drip(conn: socket.socket) -> None:
        for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b"x" * 100:
            conn.sendall(bytes([byte]))
            if done.wait(0.1):
                return

    with raw_server(drip) as url:
        try:
            with pytest.raises(WebhookError) as caught:
                webhook.post(url, {"text": "x"}, "slack", timeout=0.5, sleep=no_sleep)
        finally:
            done.set()
    assert str(caught.value) == ("the Slack webhook did not answer within 0.5 s; the message may or may not "
                                 "have been posted")


def test_a_failed_chat_leaves_the_other_tried_and_the_summary_written(tmp_path: Path) -> None:
    """digest.run: Slack's unusable URL is one failure; Teams is still posted to."""
    from generator.history import digest

    from .history_repo import scripted_repo

    root = scripted_repo(tmp_path / "history")[0]
    with chat([(200, {})]) as (teams, teams_log):
        env = {"PLAYBOOK_SLACK_WEBHOOK": f"https://hooks.slack.example/T0/{SECRET}\nX-Injected: 1",
               "PLAYBOOK_TEAMS_WEBHOOK": teams}
        result = digest.run(root, date(2026, 3, 9), env)
    assert result.posted == ["teams"] and len(teams_log.requests) == 1
    assert len(result.failures) == 1 and SECRET not in result.failures[0]
    assert result.markdown.startswith("## Playbook changes")
