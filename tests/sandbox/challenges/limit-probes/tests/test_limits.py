import signal

import pytest


def test_index(client):
    """The app answers"""
    assert client.get("/").text == "ok", "GET / should answer ok"


@pytest.mark.points(2)
def test_memory_limit_stops_a_hungry_child(learner):
    """A child process cannot take 1 GiB"""
    assert learner.call("probes:child_takes_a_gibibyte") == -signal.SIGKILL, \
        "the kernel should stop a process that wants 1 GiB"


def test_disk_limit(learner):
    """The scratch disk is bounded"""
    assert learner.call("probes:fill_the_scratch_disk") in ("ENOSPC", "EFBIG"), \
        "writing without end should be refused"


def test_process_limit(learner):
    """The number of processes is bounded"""
    report = learner.call("probes:fork_until_refused")
    assert report["refused"] == "EAGAIN" and report["started"] < 600, \
        "starting processes without end should be refused"
