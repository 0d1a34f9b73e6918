#!/usr/bin/env bash
# Idempotent set-up for `make serve` (mode "serve") and `make test` (mode "test"):
# system packages (as root), the Docker engine, the virtualenv, front-end assets, the runner image.
# Everything is skipped when already in place, so the second run takes seconds.
set -euo pipefail
mode="${1:-serve}"
cd "$(dirname "$0")/.."
log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root for: $*"; return 1; fi
}

# -- system packages -------------------------------------------------------------------------
need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
if [ "$mode" = test ]; then
  command -v redis-server >/dev/null || need+=(redis-server)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  command -v chromium >/dev/null || need+=(chromium)
fi
if [ "${#need[@]}" -gt 0 ]; then
  log "installing system packages: ${need[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# -- the Docker engine -----------------------------------------------------------------------
if ! docker info >/dev/null 2>&1; then
  if [ -S /var/run/docker.sock ] && [ -z "${DOCKER_HOST:-}" ]; then
    log "the Docker socket exists but does not answer; starting dockerd anyway"
  fi
  log "starting dockerd"
  as_root bash -c 'nohup setsid dockerd >/var/log/flask-grader-dockerd.log 2>&1 &'
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { log "dockerd did not start: see /var/log/flask-grader-dockerd.log"; exit 1; }
fi

# -- gVisor: the optional sandbox runtime (GRADER_SANDBOX_RUNTIME=runsc; the tests use it too) --
if [ "$mode" = test ] || [ "${GRADER_SANDBOX_RUNTIME:-runc}" = runsc ]; then
  if ! command -v runsc >/dev/null; then
    log "installing gVisor (runsc)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq runsc >/dev/null
  fi
  # --oci-seccomp: gVisor applies the sandbox's seccomp profile to the code it runs too
  if ! docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -q '"runsc".*--oci-seccomp'; then
    log "registering the runsc runtime with the Docker engine (/etc/docker/daemon.json)"
    # Only the runtime is added: every other key of an existing daemon.json is kept.
    as_root python3 - "$(command -v runsc)" <<'PY'
import json, os, sys, tempfile
path = "/etc/docker/daemon.json"
try:
    with open(path, encoding="utf-8") as fh:
        config = json.load(fh)
except FileNotFoundError:
    config = {}
except ValueError as exc:
    sys.exit(f"{path} is not valid JSON ({exc}); fix it, then run the set-up again")
runtime = config.setdefault("runtimes", {}).setdefault(
    "runsc", {"path": sys.argv[1], "runtimeArgs": ["--platform=ptrace", "--network=none"]})
if "--oci-seccomp" not in runtime.setdefault("runtimeArgs", []):
    runtime["runtimeArgs"].append("--oci-seccomp")
os.makedirs(os.path.dirname(path), exist_ok=True)
fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
with os.fdopen(fd, "w", encoding="utf-8") as fh:
    json.dump(config, fh, indent=2)
    fh.write("\n")
os.chmod(tmp, 0o644)
os.replace(tmp, path)
PY
    as_root kill -HUP "$(cat /var/run/docker.pid)"  # dockerd reloads its runtimes on SIGHUP
    for _ in $(seq 1 40); do
      docker info --format '{{json .Runtimes}}' | grep -q '"runsc".*--oci-seccomp' && break
      sleep 0.25
    done
    docker info --format '{{json .Runtimes}}' | grep -q '"runsc".*--oci-seccomp' ||
      { log "the Docker engine did not take up the runsc runtime"; exit 1; }
  fi
fi

# -- Python ----------------------------------------------------------------------------------
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  log "creating the virtualenv and installing Python packages"
  [ -x .venv/bin/python ] || python3 -m venv .venv
  if ! { .venv/bin/pip install -q --disable-pip-version-check --upgrade pip &&
         .venv/bin/pip install -q --disable-pip-version-check -e '.[server,curriculum,dev]'; } \
       >.venv/install.log 2>&1; then
    tail -n 30 .venv/install.log; log "pip failed (full log: .venv/install.log)"; exit 1
  fi
  rm -f .venv/.installed-* && touch "$stamp"
fi

# -- front-end assets from the npm registry ----------------------------------------------------
if [ -f package.json ]; then
  lock_stamp="node_modules/.installed-$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -c1-16)"
  if [ ! -f "$lock_stamp" ]; then
    log "installing front-end packages"
    if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else
      npm install --no-audit --no-fund --loglevel=error; fi
    touch "$lock_stamp"
  fi
  [ -f scripts/vendor_assets.py ] && .venv/bin/python scripts/vendor_assets.py
fi

# -- the runner image ------------------------------------------------------------------------
image="${GRADER_RUNNER_IMAGE:-flask-grader-runner:latest}"
harness_sum=$(cat runner/image/* runner/harness/*.py | sha256sum | cut -c1-16)
if [ "$(docker image inspect -f '{{ index .Config.Labels "flask-grader.harness" }}' "$image" 2>/dev/null)" != "$harness_sum" ]; then
  log "building the runner image $image"
  .venv/bin/python -m runner build --label "flask-grader.harness=$harness_sum"
fi
log "ready ($mode)"
