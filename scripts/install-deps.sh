#!/usr/bin/env bash
# Installs the Debian 12 packages reuselens needs to build and test, skipping
# those already present. Run as root (or with sudo available).
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config
  libcli11-dev nlohmann-json3-dev libfmt-dev
  libonnx-dev libprotobuf-dev protobuf-compiler
  libgtest-dev libgmock-dev libbenchmark-dev
  chromium  # headless browser test of the HTML report
  # The Python module (optional: built when pybind11 is present) and its tests,
  # examples and notebook.
  python3-dev pybind11-dev python3-pytest python3-pandas python3-distributed
  python3-nbclient python3-nbformat python3-ipykernel
)
# LibTorch (CPU) for `reuselens bench` and its end-to-end test; about 250 MB
# of packages on a bare system. REUSELENS_NO_TORCH=1 leaves it out: bench then
# reports that no executor plugin was built, and its tests skip.
[ "${REUSELENS_NO_TORCH:-0}" = 1 ] || packages+=(libtorch-dev python3-torch python3-torchvision)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
