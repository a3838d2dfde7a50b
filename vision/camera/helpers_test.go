package camera

import (
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
)

// samplesDir holds the sample group photos shipped with the repository.
const samplesDir = "../../assets/samples"

// mustReadSample returns the bytes of assets/samples/sampleN.jpg.
func mustReadSample(t testing.TB, n int) []byte {
	t.Helper()

	data, err := os.ReadFile(filepath.Join(samplesDir, fmt.Sprintf("sample%d.jpg", n)))
	if err != nil {
		t.Fatalf("read sample photo %d: %v", n, err)
	}

	return data
}

// mustWriteFile writes data to dir/name and returns the path.
func mustWriteFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()

	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatalf("write %s: %v", path, err)
	}

	return path
}

// mustDecodeJPEG fails the test unless data decodes as a JPEG.
func mustDecodeJPEG(t testing.TB, data []byte) {
	t.Helper()

	if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
		t.Fatalf("frame of %d bytes does not decode as JPEG: %v", len(data), err)
	}
}

// mustFFmpeg returns the ffmpeg binary, or skips the test when it is not installed.
func mustFFmpeg(t testing.TB) string {
	t.Helper()

	if _, err := os.Stat(DefaultFFmpegPath); err != nil {
		t.Skipf("ffmpeg not found at %s (install Debian's ffmpeg package): %v",
			DefaultFFmpegPath, err)
	}

	return DefaultFFmpegPath
}

// mustMakeVideo encodes an H.264 MP4 of frames frames at fps frames per second and
// width×height pixels into dir, and returns its path. The frames pan across sample1.jpg, a
// 3:2 photo, so that consecutive frames differ as they would in a camera's video.
func mustMakeVideo(t testing.TB, dir string, frames, fps, width, height int) string {
	t.Helper()

	if testing.Short() {
		t.Skip("skipping ffmpeg video test in -short mode: encoding and decoding take seconds")
	}
	ffmpeg := mustFFmpeg(t)
	sample := mustWriteFile(t, dir, "still.jpg", mustReadSample(t, 1))
	out := filepath.Join(dir, "video.mp4")
	filter := fmt.Sprintf("scale=%d:-2,crop=%d:%d:x='(iw-%d)*n/%d':y='(ih-%d)*n/%d'",
		width*3/2, width, height, width, frames, height, frames)

	cmd := exec.Command(ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin",
		"-loop", "1", "-framerate", strconv.Itoa(fps), "-i", sample, "-vf", filter,
		"-frames:v", strconv.Itoa(frames), "-c:v", "libx264", "-preset", "ultrafast",
		"-pix_fmt", "yuv420p", out)
	if output, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make test video: %v: %s", err, output)
	}

	return out
}

// collector records the frames a source emits. It is safe for concurrent use.
type collector struct {
	mu     sync.Mutex
	frames []Frame
	limit  int // cancel after this many frames; 0 means no limit
	cancel context.CancelFunc
}

// emit records frame and cancels the run once the limit is reached.
func (c *collector) emit(frame Frame) error {
	c.mu.Lock()
	defer c.mu.Unlock()

	c.frames = append(c.frames, frame)
	if c.limit > 0 && len(c.frames) >= c.limit && c.cancel != nil {
		c.cancel()
	}

	return nil
}

// snapshot returns a copy of the frames recorded so far.
func (c *collector) snapshot() []Frame {
	c.mu.Lock()
	defer c.mu.Unlock()

	return append([]Frame(nil), c.frames...)
}
