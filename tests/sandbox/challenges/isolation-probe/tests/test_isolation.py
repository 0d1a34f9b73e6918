def test_no_network(learner):
    """The sandbox has only a loopback interface and resolves no names"""
    report = learner.call("probe:network")
    assert report == {"interfaces": ["lo"], "resolved": False}, report


def test_unprivileged_learner(learner):
    """The learner runs under an unprivileged uid, not root and not the grader's"""
    ids = learner.call("probe:identity")
    assert ids["uid"] >= 20000 and ids["euid"] == ids["uid"], ids
    assert ids["groups"] == [], ids


def test_no_capabilities(learner):
    """The learner has no capabilities and cannot gain any"""
    fields = learner.call("probe:status_fields")
    assert fields["CapEff"] == "0000000000000000", fields
    assert fields["CapPrm"] == "0000000000000000", fields
    assert fields["NoNewPrivs"] == "1", fields


def test_hidden_tests_unreadable(learner):
    """Hidden tests and harness files are unreadable"""
    results = learner.call("probe:hidden_files")
    assert all(v == "PermissionError" for v in results.values()), results


def test_only_tmp_writable(learner):
    """Only the scratch folder is writable"""
    results = learner.call("probe:writable")
    assert results.pop("/tmp") == "allowed", results
    assert all(v != "allowed" for v in results.values()), results


def test_other_uids_out_of_reach(learner):
    """Processes of other uids cannot be signalled or inspected"""
    assert learner.call("probe:other_processes") == []
    assert learner.call("probe:signal_init") == []


def test_limits(learner):
    """Process, file size and descriptor limits are set"""
    limits = learner.call("probe:limits")
    assert 0 < limits["nproc"] <= 256, limits
    assert 0 < limits["fsize"] <= 64 * 1024 * 1024, limits
    assert 0 < limits["nofile"] <= 1024, limits


def test_descriptors(learner):
    """The learner holds only its own pipes, never the container's output"""
    fds = learner.call("probe:open_descriptors")
    assert set(fds) <= {"0", "1", "2", "3", "4", "5"}, fds
    assert fds["0"] == "/dev/null", fds
    assert fds["1"].startswith("pipe:") and fds["1"] == fds["2"], fds


def test_harness_scratch_is_private(learner, tmp_path):
    """Files the learner plants in /tmp cannot redirect the harness's temporary folders"""
    assert learner.call("probe:plant_scratch"), "the probe could write /tmp"
    assert str(tmp_path).startswith("/run/grader/tmp/"), tmp_path
    (tmp_path / "written").write_text("ok")
    assert (tmp_path / "written").read_text() == "ok"


def test_clean_environments(learner):
    """Each side has only its own environment, and the learner none of the harness's code"""
    import os
    import sys

    seen = learner.call("probe:environment")
    env = seen["env"]
    assert (env["HOME"], env["USER"], env["TMPDIR"]) == ("/home/learner", "learner", "/tmp"), env
    assert "HOSTNAME" not in env and not any("GRADER_HARNESS" in key for key in env), env
    # the fork server's own package only: not the harness's plugin, suite or entry point
    assert set(seen["harness_modules"]) <= {"runner_harness", "runner_harness.wire",
                                             "runner_harness.zygote"}, seen["harness_modules"]
    assert (os.environ["HOME"], os.environ["USER"]) == ("/run/grader", "grader")
    assert os.environ["TMPDIR"] == "/run/grader/tmp" and "HOSTNAME" not in os.environ
    assert not any(name.endswith("zygote") for name in sys.modules)
