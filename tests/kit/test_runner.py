"""The runner grades what a module does, whatever state it is in."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader import manifest, runner, scoring
from grader import export
from grader.check import as_result
from grader.results import TopicOutcome

COUNTDOWN = manifest.by_name("countdown")[0]
SOLUTION = (manifest.ROOT / "solutions" / "countdown.py").read_text(encoding="utf-8")


def grade(tmp_path: Path, text: str | None, **kwargs) -> TopicOutcome:
    """Run and score countdown with ``text`` as the module (None: no module at all)."""
    if text is not None:
        (tmp_path / "countdown.py").write_text(text, encoding="utf-8")
    return scoring.score(runner.run_topic(COUNTDOWN, tmp_path, **kwargs))


def test_the_reference_earns_full_marks(tmp_path):
    result = grade(tmp_path, SOLUTION)
    assert result.complete and result.score == 10
    assert all(t.status == "passed" for t in result.tests)


def test_a_missing_module_is_reported_missing(tmp_path):
    result = grade(tmp_path, None)
    assert result.status == "missing" and result.score == 0
    assert "countdown.py was not found" in result.message


def test_a_syntax_error_names_its_line(tmp_path):
    result = grade(tmp_path, "def countdown(:\n    pass\n")
    assert result.score == 0
    assert "SyntaxError at line 1" in result.first_failure


def test_a_stub_says_which_function_to_write(tmp_path):
    result = grade(tmp_path, SOLUTION.replace("    thread.start()\n",
                                              "    raise NotImplementedError\n"))
    messages = {t.name: t.message for t in result.tests}
    assert "start_countdown() is still a stub" in messages["test_start_countdown_passes_stop_on"]
    assert 0 < result.score < 10


def test_exiting_at_import_scores_zero_not_a_crash(tmp_path):
    result = grade(tmp_path, "import os\nos._exit(0)\n")
    assert result.score == 0 and result.status in {"error", "graded"}


def test_a_hang_at_import_is_stopped(tmp_path):
    result = grade(tmp_path, "while True:\n    pass\n", timeout=8)
    assert result.status == "timeout" and result.score == 0
    assert result.seconds < 20


@pytest.mark.parametrize("hidden", [False, True])
def test_hidden_tests_run_only_when_asked(tmp_path, hidden):
    result = grade(tmp_path, SOLUTION, hidden=hidden)
    assert any(t.name.startswith("hidden::") for t in result.tests) is hidden


def test_the_table_shows_progress_and_the_first_failure(tmp_path):
    good = grade(tmp_path, SOLUTION)
    bad = grade(tmp_path, SOLUTION.replace("stop.wait(interval)",
                                           "time.sleep(interval) or stop.is_set()")
                .replace("import threading", "import threading\nimport time"))
    table = export.table(as_result("x", [good, bad]), width=100)
    assert "1/2 topics complete" in table and "PASS" in table and "FAIL" in table
    assert "stop.wait(interval)" in table          # the learner message of the failure
    assert "make hint T=countdown" in table


def test_a_timed_out_test_says_where_the_code_was_waiting(tmp_path):
    """The message of a pytest-timeout failure names the wait and the student's line."""
    # pylint: disable=import-outside-toplevel
    import importlib.util
    import signal

    from grader.pytest_plugin import learner_message
    module_file = tmp_path / "joinable_threads.py"
    module_file.write_text("import queue\n\n\ndef run_in_threads():\n"
                           "    return queue.Queue().get()\n", encoding="utf-8")
    spec = importlib.util.spec_from_file_location("joinable_threads", module_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def time_is_up(_signum, _frame):         # what pytest-timeout's signal method raises
        pytest.fail("Timeout (>30.0s) from pytest-timeout.")

    previous = signal.signal(signal.SIGALRM, time_is_up)
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    try:
        with pytest.raises(pytest.fail.Exception) as excinfo:
            module.run_in_threads()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    message = learner_message(excinfo)
    assert message.startswith("the test did not finish within its time limit, still waiting "
                              "in queue.get() called at joinable_threads.py line 5, in "
                              "run_in_threads(): something waits forever"), message


def test_topics_that_start_together_work_out_the_kits_files_once(tmp_path, monkeypatch):
    # A grade starts every topic at once; the plugin's imports are parsed by one of
    # them while the others wait, not by each (that cost 1.4 s before the first run).
    import threading  # pylint: disable=import-outside-toplevel

    from grader import layout  # pylint: disable=import-outside-toplevel
    layout._closure.cache_clear()  # pylint: disable=protected-access
    parsed = []
    real = layout._imported  # pylint: disable=protected-access
    monkeypatch.setattr(layout, "_imported", lambda path, grader: parsed.append(path) or
                        real(path, grader))
    layout.plugin_files()
    once = len(parsed)
    layout._closure.cache_clear()  # pylint: disable=protected-access
    parsed.clear()
    go = threading.Barrier(8)

    def lay_out(i: int) -> None:
        go.wait()
        (tmp_path / str(i)).mkdir()
        runner._lay_out(tmp_path / str(i), COUNTDOWN,  # pylint: disable=protected-access
                        SOLUTION.encode(), manifest.ROOT / "tests", False)

    threads = [threading.Thread(target=lay_out, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    layout._closure.cache_clear()  # pylint: disable=protected-access
    assert once and len(parsed) == once, (len(parsed), once)
    assert all((tmp_path / str(i) / "lib" / "grader" / "pytest_plugin.py").is_file()
               for i in range(8))
