"""Run into the sandbox's limits and report what stopped us."""

import errno
import os
import subprocess
import sys

HOG = "x = bytearray(1024 * 1024 * 1024); x[::4096] = b'x' * len(x[::4096])"


def child_takes_a_gibibyte():
    """A child process that tries to hold 1 GiB: the kernel must stop it (SIGKILL)."""
    done = subprocess.run([sys.executable, "-c", HOG], capture_output=True, timeout=30)
    return done.returncode


def fill_the_scratch_disk():
    """Write /tmp until the sandbox refuses; the errno name that stopped us."""
    path = os.path.join("/tmp", f"fill-{os.getpid()}")
    try:
        with open(path, "wb") as fh:
            while True:
                fh.write(b"\0" * (1 << 20))
                fh.flush()
    except OSError as exc:
        return errno.errorcode.get(exc.errno, str(exc.errno))
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass


def fork_until_refused():
    """Start sleeping children until the process limit says no; how many got started."""
    children = []
    try:
        while len(children) < 2000:
            # a small program, not a copy of this one: the limit to meet is the process count
            children.append(subprocess.Popen(["sleep", "30"], stdout=subprocess.DEVNULL,
                                             stderr=subprocess.DEVNULL))
    except OSError as exc:
        refused = errno.errorcode.get(exc.errno, str(exc.errno))
    else:
        refused = ""
    for child in children:
        child.kill()
        child.wait()
    return {"started": len(children), "refused": refused}
