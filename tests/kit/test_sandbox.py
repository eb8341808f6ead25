"""Without bubblewrap the grader falls back, still contains the code, and says so."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest
from kitsupport import HIDDEN, SLEEP_TAG, SOLUTION, path_without, stray_sleepers

from grader import manifest, pipeline, sandbox

TOPICS = manifest.by_name("countdown")
STUB = (manifest.ROOT / "exercises" / "countdown.py").read_text(encoding="utf-8")
# Found for real from a PATH without bwrap (and unshare), as root; then what a grader
# that is not root falls back to, chosen by hand.
FALLBACKS = ["unshare+uid", "uid", "unshare", "rlimits"]


def use_path_without(names: tuple[str, ...], monkeypatch, request) -> sandbox.Confinement:
    """Make the grader probe again with ``names`` off PATH; the confinement it finds."""
    monkeypatch.setenv("PATH", path_without(names))
    sandbox.reset()
    request.addfinalizer(sandbox.reset)
    return sandbox.available()


@pytest.fixture(name="fallback", params=FALLBACKS)
def fallback_fixture(request, monkeypatch):
    """Make each fallback in turn the confinement the grader finds, as without bubblewrap."""
    kind = request.param
    if kind in HIDDEN:
        found = use_path_without(HIDDEN[kind], monkeypatch, request)
        if found.kind != kind:
            pytest.skip(f"{kind} cannot confine here (found {found.kind})")
        return found
    if kind == "unshare" and not shutil.which("unshare"):
        pytest.skip("no unshare here")
    confinement = sandbox.Confinement(kind, f"fallback under test: {kind}")
    monkeypatch.setattr(sandbox, "available", lambda: confinement)
    return confinement


def grade_countdown(tmp_path, code: str, timeout: float = 20):
    """Grade ``code`` as a student's countdown.py, confined as the grader would."""
    folder = tmp_path / "student"
    folder.mkdir()
    (folder / "countdown.py").write_text(code, encoding="utf-8")
    return pipeline.grade_submission(folder, TOPICS, timeout=timeout)


def test_a_correct_solution_keeps_full_marks_and_the_fallback_is_flagged(tmp_path, fallback):
    result = grade_countdown(tmp_path, SOLUTION)
    assert result.topics[0].score == 10
    assert fallback.note in result.notes


def test_setsid_children_are_still_killed(tmp_path, fallback):
    code = SOLUTION + (f"\nimport os as _os\nif _os.fork() == 0:\n    _os.setsid()\n"
                       f"    _os.execvp('sleep', ['sleep', '{SLEEP_TAG}'])\n")
    result = grade_countdown(tmp_path, code)
    # Forking at import breaks the silent-import sentence of the contract, and only that.
    failed = [test.name for test in result.topics[0].tests if test.status != "passed"]
    assert failed == ["test_importing_the_module_is_silent"], failed
    assert not stray_sleepers(), fallback.kind


@pytest.mark.usefixtures("fallback")
def test_an_endless_loop_is_stopped(tmp_path):
    result = grade_countdown(tmp_path, "while True:\n    pass\n", timeout=5)
    assert result.topics[0].status == "timeout" and result.topics[0].score == 0
    assert result.seconds < 30


def test_the_probe_prefers_bubblewrap_when_it_works():
    kind = sandbox.available().kind
    assert kind == ("bwrap" if shutil.which("bwrap") else kind)


@pytest.mark.skipif(os.geteuid() != 0, reason="only a root grader can switch users")
def test_without_bwrap_a_root_grader_switches_to_a_grading_user(monkeypatch, request):
    for kind, names in (("unshare+uid", ("bwrap",)), ("uid", ("bwrap", "unshare"))):
        found = use_path_without(names, monkeypatch, request)
        if kind == "unshare+uid" and found.kind == "uid":
            continue                        # unshare refused here: the next mode covers it
        assert found.kind == kind and found.switches_user
        assert "grading user" in found.note and "bubblewrap" in found.note


@pytest.mark.parametrize("kind", ["unshare+uid", "uid"])
def test_a_fork_bomb_hits_the_process_cap_and_every_process_dies(tmp_path, kind, monkeypatch,
                                                                  request):
    if use_path_without(HIDDEN[kind], monkeypatch, request).kind != kind:
        pytest.skip(f"{kind} cannot confine here")
    bomb = STUB + ("\nimport os as _os\nfor _ in range(100_000):\n"
                   "    try:\n        if _os.fork() == 0:\n            _os.setsid()\n"
                   f"            _os.execve('/bin/sleep', ['sleep', '{SLEEP_TAG}'], {{}})\n"
                   "    except OSError:\n        break\n")
    started = time.monotonic()
    result = grade_countdown(tmp_path, bomb)
    assert result.topics[0].score == 0
    assert time.monotonic() - started < 60
    assert not stray_sleepers()


@pytest.mark.skipif(os.geteuid() != 0, reason="only a root grader can switch users")
def test_kill_user_reaches_escapees_without_a_namespace():
    uid = sandbox.UID_BASE + sandbox.UID_COUNT - 1
    # A double fork that calls setsid() and drops its environment: no group, no marker.
    subprocess.run(["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "sh", "-c",
                    f"setsid env -i sleep {SLEEP_TAG} & exit 0"], check=True, timeout=10)
    deadline = time.monotonic() + 5
    while not sandbox._processes_of(uid) and time.monotonic() < deadline:  # pylint: disable=protected-access
        time.sleep(0.05)
    assert sandbox._processes_of(uid)  # pylint: disable=protected-access
    assert sandbox.kill_user(uid)
    assert not stray_sleepers()


def test_without_a_firewall_the_report_says_the_network_is_open(tmp_path, monkeypatch, request):
    found = use_path_without(("bwrap", "unshare", "iptables", "ip6tables"), monkeypatch, request)
    if found.kind != "uid":
        pytest.skip("a grading user needs a root grader")
    result = grade_countdown(tmp_path, SOLUTION)
    assert any(f.startswith("network not cut") for f in result.notes), result.notes
