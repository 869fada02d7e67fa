"""Which failures to retry, how long to wait, and the one sentence a user sees.

We retry ourselves (the SDK's ``max_retries`` is 0) so every attempt is visible and
logged: 429, 408/409, 5xx, timeouts and connection errors are retried with exponential
back-off and full jitter, honouring ``Retry-After`` (seconds or an HTTP date) and
``retry-after-ms``, capped at :data:`MAX_RETRY_AFTER_S`. Bad requests, auth errors and
unknown models are not retried: waiting will not fix them. A connection error before the
endpoint has ever answered is retried only :data:`FIRST_CONNECT_RETRIES` times: a
newcomer with a wrong base URL learns it in about a second, not after minutes of
back-off.
"""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import openai

from core.llm.base import Endpoint, ModelError

MAX_RETRY_AFTER_S = 60.0
MAX_BACKOFF_S = 30.0
# Opening the connection gets its own short limit: a wrong address should not cost the
# whole (minutes-long) model timeout to find out.
CONNECT_TIMEOUT_S = 10.0
# Before any call has been answered, a connection error most likely means a wrong base
# URL or a server that is not running: retry it this many times only, not max_retries.
FIRST_CONNECT_RETRIES = 1


def retry_after_seconds(headers: object) -> float | None:
    """Seconds the server asked us to wait, from ``retry-after-ms`` or ``Retry-After``."""
    get = getattr(headers, "get", None)
    if get is None:
        return None
    ms = get("retry-after-ms")
    if ms:
        try:
            return min(max(float(ms) / 1000, 0.0), MAX_RETRY_AFTER_S)
        except ValueError:
            pass
    value = get("retry-after")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_S)


def backoff_seconds(attempt: int, base: float, retry_after: float | None) -> float:
    """Wait before retry number ``attempt`` (1-based).

    With ``Retry-After`` we wait at least that long (plus up to 10% jitter, so clients
    told the same time do not return together); otherwise full jitter on an exponential.
    """
    if retry_after is not None:
        return retry_after * (1 + 0.1 * random.random())
    ceiling = min(base * (2 ** (attempt - 1)), MAX_BACKOFF_S)
    return ceiling * (0.5 + 0.5 * random.random())


def _server_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        err = body.get("error", body)
        msg = err.get("message") if isinstance(err, dict) else err
        if msg:
            return " ".join(str(msg).split())[:300]
    return " ".join(str(exc.message).split())[:300]


def _error_code(exc: openai.APIStatusError) -> str | None:
    body = exc.body
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict) and err.get("code"):
            return str(err["code"])
    return getattr(exc, "code", None)


def _connect_timed_out(exc: BaseException) -> bool:
    """A timeout while connecting (nothing answers at that address), not while waiting
    for the model: the SDK raises the same error for both, the cause tells them apart."""
    return isinstance(exc, openai.APITimeoutError) and \
        type(exc.__cause__).__name__ == "ConnectTimeout"


def _connection_reason(exc: BaseException) -> str:
    """`` (connection refused)``-style detail from the transport error, if it says one."""
    text = " ".join(str(exc.__cause__ or "").split()).lower()
    for needle, reason in (("refused", "connection refused"),
                           ("all connection attempts failed", "connection refused"),
                           ("name or service not known", "unknown host name"),
                           ("nodename nor servname", "unknown host name"),
                           ("temporary failure in name resolution", "unknown host name"),
                           ("certificate", "TLS certificate problem"),
                           ("network is unreachable", "network unreachable")):
        if needle in text:
            return f" ({reason})"
    return ""


def classify(exc: BaseException, ep: Endpoint, *, timeout: float,
             responses_api: bool = False) -> tuple[ModelError, float | None]:
    """The ``ModelError`` for ``exc`` and the server's Retry-After (if any).

    ``ModelError.retryable`` says whether to try again.
    """
    where = ep.base_url or "the embedded server"
    mid = ep.model_id
    if _connect_timed_out(exc):
        return ModelError("connection", f"cannot connect to {where} for {mid} (no answer to "
                          f"the connection within {CONNECT_TIMEOUT_S:g}s): check "
                          f"{ep.env_prefix}_BASE_URL and that the server is running"), None
    if isinstance(exc, (openai.APITimeoutError, TimeoutError, asyncio.TimeoutError)):
        return ModelError("timeout", f"{mid} did not answer within {timeout:g}s at {where}; "
                          "raise the timeout or check the server's load"), None
    if isinstance(exc, openai.APIConnectionError):
        return ModelError("connection", f"cannot connect to {where} for {mid}"
                          f"{_connection_reason(exc)}: check {ep.env_prefix}_BASE_URL and "
                          "that the server is running"), None
    if not isinstance(exc, openai.APIStatusError):
        return ModelError("malformed", f"{mid} at {where} gave an unreadable answer: "
                          f"{type(exc).__name__}: {exc}"), None
    status = exc.status_code
    detail = _server_message(exc)
    retry_after = retry_after_seconds(exc.response.headers)
    if status == 429:
        if _error_code(exc) == "insufficient_quota":
            err = ModelError("auth", f"{mid}: the account behind {ep.env_prefix}_API_KEY "
                             f"has no quota left ({detail}); check its billing", status=status)
            return err, None
        return ModelError("rate_limit", f"{mid} is rate-limited at {where} ({detail}); "
                          "lower --max-connections or wait", status=status), retry_after
    if status in (408, 409) or status >= 500:
        kind = "timeout" if status == 408 else "server"
        return ModelError(kind, f"{mid} at {where} failed with HTTP {status} ({detail}); "
                          "the server may be overloaded, try again later",
                          status=status), retry_after
    if status in (401, 403):
        return ModelError("auth", f"{where} rejected the API key for {mid} (HTTP {status}): "
                          f"set a valid {ep.env_prefix}_API_KEY in the environment or .env",
                          status=status), None
    if status == 404:
        if responses_api and _error_code(exc) != "model_not_found" and "model" not in \
                detail.lower():
            return ModelError("not_found", f"{where} does not offer the Responses API "
                              f"(404 on /responses) for {mid}; run without --responses-api",
                              status=status), None
        return ModelError("not_found", f"model {ep.model_name!r} was not found at {where} "
                          f"(HTTP 404: {detail}); check the model name in {mid} or "
                          f"{ep.env_prefix}_BASE_URL", status=status), None
    return ModelError("bad_request", f"{where} refused the request to {mid} (HTTP {status}): "
                      f"{detail}", status=status), None
