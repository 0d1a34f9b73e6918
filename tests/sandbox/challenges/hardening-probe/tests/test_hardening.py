import ctypes
import json
import os
import subprocess
import sys

HIDDEN = ("io_uring_setup", "io_uring_enter", "io_uring_register", "ptrace", "userfaultfd", "bpf",
          "perf_event_open", "keyctl", "add_key", "request_key", "unshare", "mount")


def test_denied_system_calls(learner):
    """The seccomp profile denies each dangerous call"""
    calls = learner.call("probe:denied_calls")
    assert sorted(calls) == sorted(HIDDEN), calls
    allowed = {name: answer for name, answer in calls.items() if answer != "EPERM"}
    assert not allowed, f"calls that were not denied: {allowed}"


def test_fork_server_cannot_be_traced(learner):
    """A test's code cannot trace the fork server or read its memory"""
    report = learner.call("probe:trace_fork_server")
    assert report["attach"] == "EPERM" and report["mem"] == "PermissionError", report


def test_a_process_escapes_its_group(learner):
    """A test's code leaves its process group"""
    assert learner.call("probe:escape") > 0, "the probe could not start its escaped process"


def test_the_escaped_process_is_gone(learner):
    """Nothing of the previous test's code is left"""
    assert learner.call("probe:escaped_still_alive") is False, "the escaped process survived"


def test_harness_secrets_not_inherited():
    """What the harness starts inherits neither its nonce nor its channels"""
    code = ("import json, os; print(json.dumps({'env': sorted(k for k in os.environ "
            "if k.startswith('GRADER_HARNESS')), 'fds': sorted(os.listdir('/proc/self/fd'))}))")
    # close_fds=False: the child keeps whatever is inheritable, which must be nothing
    seen = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                     text=True, check=True, close_fds=False).stdout)
    assert seen["env"] == [], seen
    assert set(seen["fds"]) <= {"0", "1", "2", "3"}, seen  # 3: listdir's own


def test_harness_is_not_dumpable():
    """The harness cannot be traced by what runs under its uid"""
    libc = ctypes.CDLL(None)
    assert libc.prctl(3, 0, 0, 0, 0) == 0  # PR_GET_DUMPABLE
    assert "GRADER_HARNESS" not in os.environ
