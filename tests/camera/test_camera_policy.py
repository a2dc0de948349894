"""OnlookerPolicy: scripted observation sequences with explicit timestamps (no camera, no model)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.onlooker import Action, Decision, Observation, OnlookerConfig, OnlookerPolicy, Reason

FPS = 5.0
DT = 1.0 / FPS


@dataclass(frozen=True)
class F:
    x: int
    y: int
    w: int
    h: int
    score: float = 0.99


OPERATOR = F(260, 200, 130, 130)


def onlooker(i: int = 0, dx: int = 0, score: float = 0.7) -> F:
    """Someone behind the clerk, by default scored below ``confident_score`` (k frames apply)."""
    return F(60 + 400 * i + dx, 100, 70, 70, score)


class Clock:
    """Feeds frames at FPS with explicit timestamps and records every decision."""

    def __init__(self, policy: OnlookerPolicy, t: float = 0.0) -> None:
        self.policy, self.t, self.log = policy, t, []

    def frames(self, n: int, faces=(OPERATOR,), fault=None) -> Decision:
        d = self.policy.decision
        for _ in range(n):
            d = self.policy.observe(Observation(self.t, tuple(faces), fault=fault))
            self.log.append((self.t, d))
            self.t = round(self.t + DT, 6)
        return d

    def first_time(self, predicate) -> float | None:
        return next((t for t, d in self.log if predicate(d)), None)


def started(config: OnlookerConfig | None = None) -> tuple[OnlookerPolicy, Clock]:
    policy = OnlookerPolicy(config or OnlookerConfig(), start=0.0)
    return policy, Clock(policy)


def test_defaults_follow_the_research_baseline():
    cfg = OnlookerConfig()
    assert (cfg.k, cfg.m, cfg.t, cfg.fail_closed) == (2, 25, 60.0, True)
    assert cfg.confident_score == 0.9
    assert cfg.fault_after_s + cfg.frame_timeout_s <= 1.0


def test_before_any_frame_the_policy_fails_closed():
    policy = OnlookerPolicy(start=0.0)
    assert policy.decision == Decision.shield(Reason.CAMERA_MISSING)


def test_operator_alone_never_shields():
    _, clock = started()
    clock.frames(300)  # one minute at 5 fps
    assert all(d == Decision.clear() for _, d in clock.log)


def test_onlooker_shields_after_k_frames_and_clears_after_m_clean_frames():
    cfg = OnlookerConfig(k=3, m=10)
    _, clock = started(cfg)
    clock.frames(10)
    assert clock.frames(cfg.k - 1, faces=(OPERATOR, onlooker())) == Decision.clear()
    assert clock.frames(1, faces=(OPERATOR, onlooker())) == Decision.shield(Reason.ONLOOKER)
    clock.frames(20, faces=(OPERATOR, onlooker()))
    assert clock.frames(cfg.m - 1) == Decision.shield(Reason.ONLOOKER)
    assert clock.frames(1) == Decision.clear()


def test_default_policy_hides_within_half_a_second_and_restores_after_five_seconds():
    _, clock = started()
    clock.frames(5)
    appear = clock.t
    clock.frames(10, faces=(OPERATOR, onlooker()))
    hidden = clock.first_time(lambda d: d.action is Action.SHIELD)
    assert hidden is not None and hidden - appear <= 0.5
    leave = clock.t
    clock.frames(40)
    restored = [t for t, d in clock.log if t >= leave and d == Decision.clear()]
    assert restored and 4.8 <= restored[0] - leave <= 5.2


def test_a_single_flicker_does_not_shield_and_a_flicker_does_not_clear():
    _, clock = started(OnlookerConfig(k=2, m=5))
    clock.frames(3)
    clock.frames(1, faces=(OPERATOR, onlooker()))
    assert clock.frames(3) == Decision.clear()  # one frame < k
    clock.frames(2, faces=(OPERATOR, onlooker()))
    clock.frames(4)
    assert clock.frames(1, faces=(OPERATOR, onlooker())) == Decision.shield(Reason.ONLOOKER)
    assert clock.frames(4) == Decision.shield(Reason.ONLOOKER)  # the clean streak restarted


def test_two_onlookers_and_a_lone_stranger_per_operator_matcher():
    cfg = OnlookerConfig(k=1, operator_matcher=lambda f: f.w >= 100)  # stand-in for enrolled templates
    _, clock = started(cfg)
    assert clock.frames(1, faces=(OPERATOR, onlooker(0), onlooker(1))).reason is Reason.ONLOOKER
    _, clock = started(cfg)
    assert clock.frames(1, faces=(onlooker(0),)) == Decision.shield(Reason.ONLOOKER)
    _, clock = started(OnlookerConfig(k=1))
    assert clock.frames(1, faces=(onlooker(0),)) == Decision.clear()  # without templates: the operator


def test_operator_absent_for_t_seconds_locks_and_reset_unlocks():
    cfg = OnlookerConfig(t=10.0)
    policy, clock = started(cfg)
    clock.frames(10)
    left = clock.t - DT
    clock.frames(int(12 * FPS), faces=())
    locked = clock.first_time(lambda d: d.action is Action.LOCK)
    assert locked is not None and abs((locked - left) - cfg.t) <= DT + 1e-9
    assert clock.frames(5) == Decision.lock()  # coming back does not unlock: the clerk logs in again
    policy.reset(clock.t)
    assert clock.frames(1) == Decision.clear()


def test_short_absence_does_not_lock():
    _, clock = started(OnlookerConfig(t=10.0))
    for _ in range(5):
        clock.frames(int(9 * FPS), faces=())
        clock.frames(1)
    assert all(d.action is not Action.LOCK for _, d in clock.log)


@pytest.mark.parametrize("fault, reason", [
    ("dark", Reason.CAMERA_COVERED), ("uniform", Reason.CAMERA_COVERED), ("frozen", Reason.CAMERA_FROZEN),
])
def test_covered_or_frozen_camera_shields_within_one_second(fault, reason):
    _, clock = started()
    clock.frames(10)
    began = clock.t
    clock.frames(10, fault=fault)
    shielded = clock.first_time(lambda d: d == Decision.shield(reason))
    assert shielded is not None and 0 < shielded - began <= 1.0
    assert clock.frames(1) == Decision.clear()  # a good frame again


def test_missing_camera_shields_within_one_second_through_ticks():
    policy, clock = started()
    clock.frames(10)
    last = clock.t - DT
    t, decision = last, policy.decision
    while decision == Decision.clear():
        t = round(t + 0.1, 6)
        decision = policy.tick(t)
    assert decision == Decision.shield(Reason.CAMERA_MISSING)
    assert t - last <= 1.0
    assert policy.observe(Observation(t + 0.1, (OPERATOR,))) == Decision.clear()


def test_no_frame_report_shields_at_once_and_fail_open_is_possible():
    policy, clock = started()
    clock.frames(3)
    assert policy.observe(Observation(clock.t, (), fault="missing")) == Decision.shield(Reason.CAMERA_MISSING)
    policy, clock = started()
    clock.frames(3)
    assert policy.observe(Observation(clock.t, (), fault="error")) == Decision.shield(Reason.CAMERA_MISSING)
    policy, clock = started()
    clock.frames(3)
    assert policy.observe(Observation(clock.t, (), fault="lens on fire")) == Decision.shield(Reason.CAMERA_MISSING)
    _, clock = started(OnlookerConfig(fail_closed=False))
    assert clock.frames(10, fault="dark") == Decision.clear()


def test_a_fault_keeps_the_onlooker_shield_until_clean_frames_follow():
    _, clock = started(OnlookerConfig(k=1, m=3))
    clock.frames(1, faces=(OPERATOR, onlooker()))
    clock.frames(10, fault="dark")
    assert clock.frames(1) == Decision.shield(Reason.ONLOOKER)  # covering the camera does not clear it
    assert clock.frames(2) == Decision.clear()


def test_static_poster_is_learned_but_a_moving_onlooker_is_not():
    cfg = OnlookerConfig(k=2, m=5, static_face_after_s=10.0)
    policy, clock = started(cfg)
    poster = F(400, 40, 64, 64, 0.8)
    clock.frames(int(12 * FPS), faces=(OPERATOR, poster))
    # it shields at first (unknown), then the motionless face is learned as a picture and ignored
    assert clock.log[5][1] == Decision.shield(Reason.ONLOOKER)
    assert clock.log[-1][1] == Decision.clear()
    assert len(policy.static_faces) == 1
    # a real onlooker moves a little from frame to frame: never learned
    policy, clock = started(cfg)
    for i in range(int(20 * FPS)):
        clock.frames(1, faces=(OPERATOR, onlooker(dx=(i % 3) * 4)))
    assert clock.log[-1][1] == Decision.shield(Reason.ONLOOKER)
    assert policy.static_faces == []
    # without the option the poster shields for ever (fail safe default)
    _, clock = started(OnlookerConfig(k=2, m=5))
    assert clock.frames(int(20 * FPS), faces=(OPERATOR, poster)) == Decision.shield(Reason.ONLOOKER)


def test_faces_below_score_or_size_gates_are_ignored():
    cfg = OnlookerConfig(k=1, min_score=0.6, min_face_fraction=0.05)
    _, clock = started(cfg)
    assert clock.frames(3, faces=(OPERATOR, F(10, 10, 70, 70, 0.3))) == Decision.clear()
    assert clock.frames(3, faces=(OPERATOR, F(10, 10, 20, 20, 0.9))) == Decision.clear()
    assert clock.frames(1, faces=(OPERATOR, F(10, 10, 70, 70, 0.9))) == Decision.shield(Reason.ONLOOKER)


def test_invalid_configs_are_refused():
    with pytest.raises(ValueError):
        OnlookerConfig(k=0)
    with pytest.raises(ValueError):
        OnlookerConfig(fault_after_s=0.8, frame_timeout_s=0.5)


_events = st.lists(
    st.tuples(
        st.floats(min_value=0.05, max_value=0.7),  # time since the previous event
        st.sampled_from(["alone", "onlooker", "empty", "dark", "uniform", "frozen", "missing", "tick"]),
    ),
    min_size=1, max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(_events)
def test_property_a_camera_fault_is_never_clear_after_one_second(events):
    """Whatever happened before: a fault or silence lasting ≥ 1 s is never answered with CLEAR."""
    policy = OnlookerPolicy(start=0.0)
    t = 0.0
    fault_since: float | None = 0.0  # no frame yet counts as a fault
    for gap, kind in events:
        t += gap
        if kind == "tick":
            d = policy.tick(t)
        elif kind in ("alone", "onlooker", "empty"):
            faces = {"alone": (OPERATOR,), "onlooker": (OPERATOR, onlooker()), "empty": ()}[kind]
            d = policy.observe(Observation(t, faces))
            fault_since = None
            last_frame = t
        else:
            d = policy.observe(Observation(t, (), fault=kind))
            if fault_since is None:
                fault_since = t
        if kind == "tick" and fault_since is None and t - last_frame >= 1.0:
            assert d.action is not Action.CLEAR
        if fault_since is not None and t - fault_since >= 1.0:
            assert d.action is not Action.CLEAR


def _seen(policy, clock, n, faces, verdicts):
    d = policy.decision
    for _ in range(n):
        d = policy.observe(Observation(clock.t, tuple(faces), verdicts=tuple(verdicts)))
        clock.log.append((clock.t, d))
        clock.t = round(clock.t + DT, 6)
    return d


def test_presence_check_locks_when_someone_else_sits_down():
    """在席確認 (AUTH session rules, PRIV-1): the camera says the one face is not the logged-in
    operator → shielded at once (k frames) and locked after stranger_lock_s, with its own reason."""
    cfg = OnlookerConfig(k=2, stranger_lock_s=3.0)
    policy, clock = started(cfg)
    assert _seen(policy, clock, 10, [OPERATOR], [True]) == Decision.clear()
    changed = clock.t
    _seen(policy, clock, int(5 * FPS), [OPERATOR], [False])
    shielded = clock.first_time(lambda d: d == Decision.shield(Reason.ONLOOKER))
    locked = clock.first_time(lambda d: d.action is Action.LOCK)
    assert shielded is not None and shielded - changed <= (cfg.k - 1) * DT + 1e-9
    assert locked is not None and abs((locked - changed) - cfg.stranger_lock_s) <= DT + 1e-9
    assert policy.decision == Decision.lock(Reason.OPERATOR_CHANGED)


def test_presence_check_keeps_the_operator_and_ignores_unknown_verdicts():
    cfg = OnlookerConfig(k=2, stranger_lock_s=1.0)
    policy, clock = started(cfg)
    # Not yet checked (None): the largest face is taken as the operator, as without a check.
    assert _seen(policy, clock, 30, [OPERATOR], [None]) == Decision.clear()
    # The operator with someone else behind: shield (an onlooker), never a presence lock.
    d = _seen(policy, clock, 30, [OPERATOR, onlooker(0)], [True, False])
    assert d == Decision.shield(Reason.ONLOOKER)
    assert all(d.action is not Action.LOCK for _, d in clock.log)
    # A stranger for less than stranger_lock_s, then the operator again: no lock.
    policy, clock = started(cfg)
    _seen(policy, clock, 4, [OPERATOR], [False])
    assert _seen(policy, clock, 30, [OPERATOR], [True]) == Decision.clear()
    assert all(d.action is not Action.LOCK for _, d in clock.log)


def test_absence_lock_keeps_its_reason():
    policy, clock = started(OnlookerConfig(t=2.0))
    clock.frames(int(3 * FPS), faces=())
    assert policy.decision == Decision.lock(Reason.OPERATOR_ABSENT)


@pytest.mark.parametrize("score, frames_to_shield", [(0.95, 1), (0.9, 1), (0.89, 2), (0.5, 2)])
def test_a_face_the_detector_is_sure_of_shields_on_its_first_frame(score, frames_to_shield):
    """confident_score (PRIV-1 latency): one frame for a sure face, k frames for the others."""
    policy, clock = started()
    clock.frames(3)
    clock.frames(1, faces=(OPERATOR, onlooker(score=score)))
    assert (policy.decision.action is Action.SHIELD) == (frames_to_shield == 1)
    clock.frames(1, faces=(OPERATOR, onlooker(score=score)))
    assert policy.decision == Decision.shield(Reason.ONLOOKER)


def test_without_confident_score_every_face_needs_k_frames():
    policy, clock = started(OnlookerConfig(confident_score=None))
    clock.frames(3)
    clock.frames(1, faces=(OPERATOR, onlooker(score=0.999)))
    assert policy.decision.action is Action.CLEAR
    clock.frames(1, faces=(OPERATOR, onlooker(score=0.999)))
    assert policy.decision == Decision.shield(Reason.ONLOOKER)


def test_a_sure_face_that_is_a_static_picture_is_still_ignored():
    """The fast path does not bypass the static-picture rule: a poster never moves."""
    cfg = OnlookerConfig(static_face_after_s=2.0)
    policy, clock = started(cfg)
    poster = onlooker(1, score=0.99)
    clock.frames(int(FPS * 10), faces=(OPERATOR, poster))  # there from the start: learnt as static
    clock.log.clear()
    clock.frames(int(FPS * 5), faces=(OPERATOR, poster))
    assert all(d.action is Action.CLEAR for _, d in clock.log)
