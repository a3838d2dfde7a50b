#!/usr/bin/env bash
# Install the Debian packages Omotenashi builds and runs with, when any is missing: dlib and
# the BLAS/LAPACK/JPEG libraries go-face links against, ffmpeg for video cameras, npm for
# fetching models, and Chromium for the staff page's browser test. Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(libdlib-dev libblas-dev libatlas-base-dev liblapack-dev libjpeg62-turbo-dev
  ffmpeg npm chromium)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm may come with a Node.js installed outside Debian; the command is what matters.
if command -v npm >/dev/null; then
  missing=("${missing[@]/npm}")
fi
read -ra missing <<<"${missing[*]}"
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
[[ $(id -u) -eq 0 ]] || sudo=sudo
echo "deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
