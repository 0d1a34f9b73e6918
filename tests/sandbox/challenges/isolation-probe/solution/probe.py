"""Honest reports of what a learner process can see and do inside the sandbox."""

import os
import resource
import signal
import socket


def network():
    try:
        socket.getaddrinfo("pypi.org", 443)
        resolved = True
    except OSError:
        resolved = False
    return {"interfaces": sorted(os.listdir("/sys/class/net")), "resolved": resolved}


def identity():
    return {"uid": os.getuid(), "euid": os.geteuid(), "gid": os.getgid(), "groups": os.getgroups()}


def status_fields():
    fields = {}
    with open("/proc/self/status") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return {k: fields.get(k) for k in ("CapEff", "CapPrm", "CapBnd", "NoNewPrivs", "Seccomp")}


def _try(action):
    try:
        action()
        return "allowed"
    except OSError as exc:
        return type(exc).__name__


def hidden_files():
    results = {}
    for path in ("/run/grader/tests", "/opt/harness", "/opt/harness/runner_harness"):
        results[f"list {path}"] = _try(lambda p=path: os.listdir(p))
    results["read entrypoint"] = _try(
        lambda: open("/opt/harness/runner_harness/entrypoint.py").read())
    return results


def writable():
    results = {}
    for folder in ("/", "/opt", "/usr", "/opt/venv", "/run/grader", "/home/learner/src", "/etc",
                   "/tmp"):
        def write(folder=folder):
            with open(os.path.join(folder, "probe-write"), "w") as fh:
                fh.write("x")
        results[folder] = _try(write)
    return results


def other_processes():
    mine = os.getuid()
    reachable = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as fh:
                owner = next(int(line.split()[1]) for line in fh if line.startswith("Uid:"))
        except (OSError, StopIteration):
            continue
        if owner == mine:
            continue
        for action in ("signal", "environ", "fd"):
            try:
                if action == "signal":
                    os.kill(int(entry), 0)
                elif action == "environ":
                    open(f"/proc/{entry}/environ").read()
                else:
                    os.listdir(f"/proc/{entry}/fd")
                reachable.append(f"{entry}:{action}")
            except OSError:
                pass
    return reachable


def limits():
    return {
        "nproc": resource.getrlimit(resource.RLIMIT_NPROC)[0],
        "fsize": resource.getrlimit(resource.RLIMIT_FSIZE)[0],
        "nofile": resource.getrlimit(resource.RLIMIT_NOFILE)[0],
    }


def open_descriptors():
    out = {}
    for fd in os.listdir("/proc/self/fd"):
        try:
            out[fd] = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            pass
    return out


def signal_init():
    """Signals sent to the container's init and the harness side; accepted ones are listed."""
    hit = []
    for pid in (1,):
        try:
            os.kill(pid, signal.SIGCONT)
            hit.append(pid)
        except OSError:
            pass
    return hit


def plant_scratch():
    """Try to take over where the harness's pytest would put its temporary folders."""
    planted = []
    for name in ("pytest-of-grader", "pytest-of-root", "pytest-of-990"):
        path = os.path.join("/tmp", name)
        try:
            os.symlink("/home/learner", path)
            planted.append(path)
        except OSError:
            pass
    return planted


def environment():
    """The learner process's environment and what it has loaded of the harness's package."""
    import sys

    return {"env": dict(os.environ),
            "harness_modules": sorted(n for n in sys.modules if n.startswith("runner_harness"))}
