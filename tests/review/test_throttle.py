"""The sign-in throttle: how many wrong passwords lock a username out, and for how long."""

from __future__ import annotations

from app.review.throttle import SignInThrottle


def test_lockout_after_too_many_failures_and_release_after_the_lockout() -> None:
    t = SignInThrottle(max_failures=3, window_s=60, lockout_s=120)
    for now in (0, 1):
        t.failed("Alice", now=now)
        assert t.wait_s("alice", now=now) == 0
    t.failed(" alice ", now=2)  # same account however it is typed
    assert t.wait_s("ALICE", now=2) == 120
    assert t.wait_s("alice", now=100) == 22
    assert t.wait_s("alice", now=122) == 0
    assert t.wait_s("bob", now=2) == 0


def test_failures_outside_the_window_do_not_add_up() -> None:
    t = SignInThrottle(max_failures=3, window_s=60, lockout_s=120)
    t.failed("alice", now=0)
    t.failed("alice", now=30)
    t.failed("alice", now=75)  # the first has left the window: two recent failures
    assert t.wait_s("alice", now=75) == 0
    t.failed("alice", now=76)
    assert t.wait_s("alice", now=76) == 120


def test_a_right_password_clears_the_count() -> None:
    t = SignInThrottle(max_failures=2, window_s=60, lockout_s=120)
    t.failed("alice", now=0)
    t.succeeded("alice")
    t.failed("alice", now=1)
    assert t.wait_s("alice", now=1) == 0
