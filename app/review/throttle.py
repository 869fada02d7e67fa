"""Slowing down password guessing on the sign-in form.

scrypt makes each guess cost the server tens of milliseconds, but nothing stopped a
script from guessing all day. After ``max_failures`` wrong passwords for one username
within ``window_s`` seconds, that username is refused for ``lockout_s`` seconds without
the password even being checked. Kept in the review server's memory: a restart forgets
it, which is fine for a deterrent and keeps failed guesses out of the judgment store.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field


@dataclass
class SignInThrottle:
    """Failed sign-ins per username, and which usernames are locked out until when."""

    max_failures: int = 5
    window_s: float = 15 * 60
    lockout_s: float = 5 * 60
    _failures: dict[str, list[float]] = field(default_factory=dict)
    _locked_until: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @staticmethod
    def _key(username: str) -> str:
        return username.strip().casefold()

    def wait_s(self, username: str, now: float | None = None) -> float:
        """Seconds before this username may try again (0 when it may try now)."""
        now = time.time() if now is None else now
        with self._lock:
            return max(0.0, self._locked_until.get(self._key(username), 0.0) - now)

    def failed(self, username: str, now: float | None = None) -> None:
        """Count a wrong password; lock the username out when it has had too many."""
        now = time.time() if now is None else now
        key = self._key(username)
        with self._lock:
            recent = [t for t in self._failures.get(key, []) if t > now - self.window_s]
            recent.append(now)
            if len(recent) >= self.max_failures:
                self._locked_until[key] = now + self.lockout_s
                recent = []
            self._failures[key] = recent

    def succeeded(self, username: str) -> None:
        """A right password clears the count of earlier mistakes."""
        with self._lock:
            self._failures.pop(self._key(username), None)
