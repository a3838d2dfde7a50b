// Package vision turns camera frames and photos into faces: it decodes images within hard
// limits, finds faces with go-face (dlib's HOG detector, with the CNN detector as a fallback),
// and computes one descriptor per face with dlib's ResNet.
//
// It knows no storage and no network. Searching descriptors lives in vision/gallery, the
// match/ambiguous/unknown rule in vision/decide, tracking across frames in vision/track and
// frame sources in vision/camera.
package vision
