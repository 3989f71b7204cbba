"""A killed training run leaves nothing that the next run into the same output does not remove."""

import os
import signal
import subprocess
import sys
import time

import pytest

from annotator.training.leftovers import remove_dead_runs


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True)
    return int(done.stdout)


def _debris(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".model1"))


@pytest.mark.slow
def test_a_killed_train_leaves_a_folder_the_next_run_removes(labelled_db, tmp_path):
    out = tmp_path / "model1"

    def command(steps):
        return [sys.executable, "-m", "annotator", "train", "--db", str(labelled_db), "--out", str(out),
                "--dev-fraction", "0.34", "--max-steps", str(steps)]

    proc = subprocess.Popen(command(100_000), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while not any((work / "train.spacy").exists() for work in tmp_path.glob(".model1-training-*")):
        assert proc.poll() is None and time.monotonic() < deadline, "training never started"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _debris(tmp_path)  # what the kill left
    rerun = subprocess.run(command(4), capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert (out / "config.cfg").is_file()
    assert _debris(tmp_path) == []


def test_a_dead_runs_folders_go_and_a_live_runs_stay(tmp_path):
    out = tmp_path / "model1"
    dead, live = _dead_pid(), os.getpid()
    for name in (f".model1-training-{dead}-abc", f".model1.new-{dead}", f".model1-training-{live}-x"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "train.spacy").write_bytes(b"x" * 100)
    (tmp_path / ".model10-training-1-abc").mkdir()  # another output's: not ours to judge
    removed = remove_dead_runs(out)
    assert sorted(p.name for p in removed) == [f".model1-training-{dead}-abc", f".model1.new-{dead}"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".model1-training-{live}-x",
                                                          ".model10-training-1-abc"]


def test_a_model_caught_mid_swap_by_a_kill_is_put_back(tmp_path):
    out = tmp_path / "model1"
    old = tmp_path / f".model1.old-{_dead_pid()}"
    old.mkdir()
    (old / "config.cfg").write_text("[nlp]\n")
    remove_dead_runs(out)
    assert (out / "config.cfg").read_text() == "[nlp]\n" and not old.exists()
