package camera

import (
	"bytes"
	"context"
	"errors"
	"image/jpeg"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestFFmpeg_DecodesVideoFrames(t *testing.T) {
	video := mustMakeVideo(t, t.TempDir(), 20, 10, 1280, 720)

	var c collector
	err := NewFFmpeg(video, 5, false).Run(context.Background(), c.emit)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}

	// Two seconds resampled to 5 frames per second; the fps filter may round at the end.
	frames := c.snapshot()
	if len(frames) < 9 || len(frames) > 11 {
		t.Fatalf("got %d frames, want 10±1", len(frames))
	}
	for i, frame := range frames {
		if frame.Seq != uint64(i+1) {
			t.Errorf("frame %d: Seq = %d, want %d", i, frame.Seq, i+1)
		}
	}

	cfg, err := jpeg.DecodeConfig(bytes.NewReader(frames[0].Data))
	if err != nil {
		t.Fatalf("first frame is not a JPEG: %v", err)
	}
	if cfg.Width != 1280 || cfg.Height != 720 {
		t.Errorf("frame size %dx%d, want 1280x720", cfg.Width, cfg.Height)
	}
	mustDecodeJPEG(t, frames[len(frames)-1].Data)
}

func TestFFmpeg_MaxWidthDownscales(t *testing.T) {
	video := mustMakeVideo(t, t.TempDir(), 5, 5, 1280, 720)

	source := &FFmpeg{Input: video, FPS: 2, MaxWidth: 640}
	var c collector
	if err := source.Run(context.Background(), c.emit); err != nil {
		t.Fatalf("Run: %v", err)
	}

	frames := c.snapshot()
	if len(frames) == 0 {
		t.Fatal("got no frames")
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(frames[0].Data))
	if err != nil {
		t.Fatalf("first frame is not a JPEG: %v", err)
	}
	if cfg.Width != 640 || cfg.Height != 360 {
		t.Errorf("frame size %dx%d, want 640x360", cfg.Width, cfg.Height)
	}
}

func TestFFmpeg_RealtimePlaysAtVideoSpeed(t *testing.T) {
	video := mustMakeVideo(t, t.TempDir(), 10, 10, 320, 180)

	var c collector
	start := time.Now()
	if err := NewFFmpeg(video, 0, true).Run(context.Background(), c.emit); err != nil {
		t.Fatalf("Run: %v", err)
	}

	// With -re, ffmpeg reads no faster than the timestamps, so the last of 10 frames at
	// 10 fps comes 0.9 s after the first.
	if elapsed := time.Since(start); elapsed < 800*time.Millisecond {
		t.Errorf("a 1 s video played in %v with Realtime set", elapsed)
	}
	if got := len(c.snapshot()); got != 10 {
		t.Errorf("got %d frames, want 10", got)
	}
}

func TestFFmpeg_CancelStopsProcess(t *testing.T) {
	video := mustMakeVideo(t, t.TempDir(), 100, 10, 320, 180)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	c := collector{limit: 3, cancel: cancel}
	done := make(chan error, 1)
	go func() { done <- NewFFmpeg(video, 0, true).Run(ctx, c.emit) }()

	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run returned %v, want context.Canceled", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return after cancel; ffmpeg was not stopped")
	}
}

func TestFFmpeg_EmitErrorStopsRun(t *testing.T) {
	video := mustMakeVideo(t, t.TempDir(), 100, 10, 320, 180)
	stop := errors.New("consumer full")

	calls := 0
	err := NewFFmpeg(video, 0, false).Run(context.Background(), func(Frame) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) {
		t.Errorf("Run returned %v, want the emit error", err)
	}
	if calls != 1 {
		t.Errorf("emit called %d times, want 1", calls)
	}
}

func TestFFmpeg_MissingInputReportsStderr(t *testing.T) {
	mustFFmpeg(t)
	missing := filepath.Join(t.TempDir(), "missing.mp4")

	var c collector
	err := NewFFmpeg(missing, 5, false).Run(context.Background(), c.emit)
	if err == nil {
		t.Fatal("Run returned nil for a missing file")
	}
	if !strings.Contains(err.Error(), "No such file or directory") {
		t.Errorf("error %q does not contain ffmpeg's stderr", err)
	}
}

func TestFFmpeg_MissingBinaryFails(t *testing.T) {
	source := &FFmpeg{Input: "video.mp4", Path: filepath.Join(t.TempDir(), "no-ffmpeg")}

	var c collector
	err := source.Run(context.Background(), c.emit)
	if err == nil || !strings.Contains(err.Error(), "start ffmpeg") {
		t.Errorf("Run returned %v, want a start error", err)
	}
}

func TestFFmpeg_Args(t *testing.T) {
	tests := []struct {
		name   string
		source FFmpeg
		want   string
	}{
		{"FileRealtime", FFmpeg{Input: "a.mp4", FPS: 5, Realtime: true},
			"-hide_banner -loglevel error -nostdin -re -i a.mp4 -an -vf fps=5 " +
				"-f image2pipe -c:v mjpeg -q:v 3 pipe:1"},
		{"FileScaled", FFmpeg{Input: "a.mkv", FPS: 2.5, MaxWidth: 1280},
			"-hide_banner -loglevel error -nostdin -i a.mkv -an " +
				"-vf fps=2.5,scale='min(1280,iw)':-2 -f image2pipe -c:v mjpeg -q:v 3 pipe:1"},
		{"RTSP", FFmpeg{Input: "rtsp://127.0.0.1/cam", Realtime: true},
			"-hide_banner -loglevel error -nostdin -rtsp_transport tcp " +
				"-i rtsp://127.0.0.1/cam -an -f image2pipe -c:v mjpeg -q:v 3 pipe:1"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Join(tt.source.args(), " "); got != tt.want {
				t.Errorf("args:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestFFmpeg_NameRedactsPassword(t *testing.T) {
	source := NewFFmpeg("rtsp://admin:secret@127.0.0.1:554/stream", 5, false)

	if name := source.Name(); strings.Contains(name, "secret") {
		t.Errorf("Name() = %q contains the password", name)
	}
}

// BenchmarkFFmpeg720p measures how many frames per second ffmpeg decodes from a 720p H.264
// video (10 s at 25 fps, panning across a photo) and re-encodes as MJPEG, through the
// splitter, without -re. It includes starting ffmpeg once per run.
func BenchmarkFFmpeg720p(b *testing.B) {
	video := mustMakeVideo(b, b.TempDir(), 250, 25, 1280, 720)
	b.ResetTimer()

	var frames int
	var bytesRead int64
	for b.Loop() {
		source := &FFmpeg{Input: video, Logger: slog.New(slog.DiscardHandler)}
		err := source.Run(context.Background(), func(f Frame) error {
			frames++
			bytesRead += int64(len(f.Data))
			return nil
		})
		if err != nil {
			b.Fatalf("Run: %v", err)
		}
	}

	b.ReportMetric(float64(frames)/b.Elapsed().Seconds(), "frames/s")
	b.ReportMetric(float64(bytesRead)/float64(frames), "bytes/frame")
}

func TestFFmpeg_ErrorRedactsPassword(t *testing.T) {
	mustFFmpeg(t)

	// Nothing listens on port 1 of loopback, so ffmpeg fails at once and names the input.
	source := NewFFmpeg("rtsp://admin:secret@127.0.0.1:1/door", 5, false)
	var c collector
	err := source.Run(context.Background(), c.emit)
	if err == nil {
		t.Fatal("Run returned nil for a closed port")
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("error %q contains the password", err)
	}
}
