package camera

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ErrUnknownSpec is returned by Parse for a camera spec that names no supported source.
var ErrUnknownSpec = errors.New("unknown camera spec")

// videoExtensions are the file name extensions Parse hands to ffmpeg, in lower case.
var videoExtensions = []string{
	".mp4", ".m4v", ".mkv", ".mov", ".avi", ".webm", ".mpg", ".mpeg", ".ts", ".flv", ".wmv",
}

// Parse builds a Source from a camera spec, with fps frames per second:
//   - an http:// or https:// URL is an MJPEG stream;
//   - an rtsp:// or rtsps:// URL, or a video file (.mp4, .mkv, .mov, .avi, .webm and other
//     common containers), is decoded by ffmpeg at its native speed;
//   - a folder plays its image files once, in name order;
//   - a single image file (.jpg, .jpeg, .png, .gif, .webp) plays once.
//
// Files and folders must exist. Any other spec returns an error wrapping ErrUnknownSpec.
func Parse(spec string, fps float64) (Source, error) {
	lower := strings.ToLower(spec)
	switch {
	case spec == "":
		return nil, fmt.Errorf("%w: the spec is empty; give a folder, a file or a URL",
			ErrUnknownSpec)
	case strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://"):
		return NewMJPEG(spec), nil
	case isRTSP(spec):
		return NewFFmpeg(spec, fps, false), nil
	case strings.Contains(spec, "://"):
		return nil, fmt.Errorf("%w: %s: unsupported URL scheme; use http, https or rtsp",
			ErrUnknownSpec, redactURL(spec))
	}

	return parsePath(spec, fps)
}

// parsePath builds a Source for a folder, a video file or an image file.
func parsePath(path string, fps float64) (Source, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("camera spec %s: %w", path, err)
	}

	ext := strings.ToLower(filepath.Ext(path))
	switch {
	case info.IsDir():
		return NewFolder(path, fps, false), nil
	case slices.Contains(videoExtensions, ext):
		return NewFFmpeg(path, fps, true), nil
	case isImageFile(path):
		return Files([]string{path}, fps, false), nil
	}

	return nil, fmt.Errorf("%w: %s is neither a folder, a video (%s) nor an image (%s)",
		ErrUnknownSpec, path, strings.Join(videoExtensions, " "),
		strings.Join(imageExtensions, " "))
}
