// Package camera delivers encoded frames from a store's cameras: a folder of images, a video
// file or RTSP stream decoded by ffmpeg, or MJPEG over HTTP. Frames stay encoded as the source
// delivered them, and the caller decodes them.
package camera
