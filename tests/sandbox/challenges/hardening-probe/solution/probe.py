"""Honest reports of what a learner process can do to the trusted side of the sandbox."""

import ctypes
import errno
import os
import platform
import signal
import time

PIDFILE = "/tmp/escaped.pid"
# syscall numbers: x86_64, aarch64
NUMBERS = {
    "io_uring_setup": (425, 425), "io_uring_enter": (426, 426), "io_uring_register": (427, 427),
    "ptrace": (101, 117), "userfaultfd": (323, 282), "bpf": (321, 280),
    "perf_event_open": (298, 241), "keyctl": (250, 219), "add_key": (248, 217),
    "request_key": (249, 218), "unshare": (272, 97), "mount": (165, 40),
}
CLONE_NEWUSER = 0x10000000
KEY_SPEC_PROCESS_KEYRING = -2
KEY_SPEC_SESSION_KEYRING = -3
libc = ctypes.CDLL(None, use_errno=True)


def _nr(name):
    return NUMBERS[name][0 if platform.machine() in ("x86_64", "AMD64") else 1]


def _call(name, *args):
    """Make one raw system call in a throwaway child; 'ok' or the errno's name."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        result = libc.syscall(_nr(name), *args)
        code = ctypes.get_errno()
        os.write(write_fd, (b"ok" if result >= 0 else errno.errorcode.get(code, str(code))
                            .encode()))
        os._exit(0)
    os.close(write_fd)
    answer = os.read(read_fd, 64).decode()
    os.close(read_fd)
    os.waitpid(pid, 0)
    return answer or "crashed"


def denied_calls():
    """Each call as a learner would make it, arguments chosen so it would succeed if allowed."""
    params = ctypes.create_string_buffer(120)
    attr = ctypes.create_string_buffer(128)
    ctypes.memmove(attr, (128).to_bytes(4, "little"), 4)  # perf_event_attr.size
    c = ctypes.c_char_p
    return {
        "io_uring_setup": _call("io_uring_setup", 4, params),
        "io_uring_enter": _call("io_uring_enter", 0, 0, 0, 0, None, 0),
        "io_uring_register": _call("io_uring_register", 0, 0, None, 0),
        "ptrace": _call("ptrace", 0, 0, None, None),  # PTRACE_TRACEME
        "userfaultfd": _call("userfaultfd", 1),  # UFFD_USER_MODE_ONLY
        "bpf": _call("bpf", 0, params, 48),  # BPF_MAP_CREATE
        "perf_event_open": _call("perf_event_open", attr, 0, -1, -1, 0),
        "keyctl": _call("keyctl", 0, KEY_SPEC_SESSION_KEYRING, 1),  # GET_KEYRING_ID
        "add_key": _call("add_key", c(b"user"), c(b"probe"), c(b"x"), 1,
                         KEY_SPEC_PROCESS_KEYRING),
        "request_key": _call("request_key", c(b"user"), c(b"probe"), None, 0),
        "unshare": _call("unshare", CLONE_NEWUSER),
        "mount": _call("mount", c(b"none"), c(b"/tmp"), c(b"tmpfs"), 0, None),
    }


def trace_fork_server():
    """Attach to the process that forked this one, and read its memory."""
    parent = os.getppid()
    report = {}
    result = libc.ptrace(16, parent, None, None)  # PTRACE_ATTACH
    report["attach"] = "ok" if result == 0 else errno.errorcode.get(ctypes.get_errno(), "?")
    if result == 0:
        libc.ptrace(17, parent, None, None)  # PTRACE_DETACH
    try:
        with open(f"/proc/{parent}/mem", "rb"):
            report["mem"] = "ok"
    except OSError as exc:
        report["mem"] = type(exc).__name__
    return report


def escape():
    """Leave the test's process group twice over, then stay alive; the escaped pid."""
    read_fd, write_fd = os.pipe()
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.write(write_fd, str(os.getpid()).encode())
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            time.sleep(120)
        os._exit(0)
    os.close(write_fd)
    pid = int(os.read(read_fd, 32) or b"0")
    with open(PIDFILE, "w") as fh:
        fh.write(str(pid))
    return pid


def escaped_still_alive():
    """Is the process escape() left behind still there, in the next test?"""
    with open(PIDFILE) as fh:
        pid = int(fh.read())
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/status") as fh:
        return "zombie" not in fh.read()
