// Package onnx is a second face-recognition engine: a 512-value embedding network run with
// ONNX Runtime on faces aligned to the standard ArcFace 112×112 template. It implements
// vision.Engine, and adds a face detector (Detect) and a liveness score (Liveness).
//
// The four models come from the npm package faceplugin-face-recognition-js@0.0.1 (MIT):
// fr_feature.onnx (embedding), fr_landmark.onnx (68 landmarks on a 64×64 grey crop),
// fr_detect.onnx (face detector on a 320×240 image) and fr_liveness.onnx. ONNX Runtime
// 1.24.1 is loaded as a shared library from the npm package onnxruntime-node@1.24.1.
// scripts/assets.sh unpacks both under assets/; nothing is downloaded at run time.
package onnx
