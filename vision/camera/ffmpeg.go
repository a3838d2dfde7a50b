package camera

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultFFmpegPath is the ffmpeg binary used when FFmpeg.Path is empty (Debian's package).
const DefaultFFmpegPath = "/usr/bin/ffmpeg"

// stderrLimit is how many trailing bytes of ffmpeg's stderr an error keeps.
const stderrLimit = 4 << 10

// FFmpeg is a Source that decodes a video file or an RTSP stream with an ffmpeg process and
// reads the frames back as MJPEG from its stdout.
type FFmpeg struct {
	// Input is a video file path or an rtsp:// URL, passed to ffmpeg's -i.
	Input string

	// FPS is the output rate in frames per second (ffmpeg's fps filter); zero or less keeps
	// the input's own rate.
	FPS float64

	// MaxWidth downscales wider frames to this width, keeping the aspect ratio; zero keeps
	// the input size.
	MaxWidth int

	// Realtime reads a file at its native speed (ffmpeg's -re), as a camera would deliver
	// it. Without it, a file is decoded as fast as the machine allows. RTSP ignores it.
	Realtime bool

	// Path is the ffmpeg binary; empty means DefaultFFmpegPath.
	Path string

	// MaxFrameSize is the largest JPEG frame in bytes; zero means DefaultMaxFrameSize.
	MaxFrameSize int

	// Logger receives start and stop messages; nil means slog.Default().
	Logger *slog.Logger
}

// NewFFmpeg returns an FFmpeg source for a video file or an RTSP URL.
func NewFFmpeg(input string, fps float64, realtime bool) *FFmpeg {
	return &FFmpeg{Input: input, FPS: fps, Realtime: realtime}
}

// Name returns the input, with any password in an RTSP URL redacted.
func (f *FFmpeg) Name() string {
	return redactURL(f.Input)
}

// Run starts ffmpeg and emits each JPEG it writes. When ctx ends or emit fails, Run kills
// ffmpeg and waits for it to exit. A failed ffmpeg run returns an error that ends with
// ffmpeg's stderr.
//
// NOTE: Run does not reconnect. When an RTSP camera drops the stream, ffmpeg exits and Run
// returns, so the caller must start it again.
func (f *FFmpeg) Run(ctx context.Context, emit func(Frame) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	stderr := &tailBuffer{limit: stderrLimit}
	cmd := exec.CommandContext(ctx, f.path(), f.args()...)
	cmd.Stderr = stderr
	cmd.WaitDelay = 5 * time.Second

	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("ffmpeg %s: open stdout: %w", f.Name(), err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start ffmpeg for %s: %w", f.Name(), err)
	}

	log := loggerOr(f.Logger).With("source", f.Name())
	log.Info("ffmpeg started", "pid", cmd.Process.Pid)

	frames, emitErr := f.readFrames(ctx, stdout, emit)
	if emitErr != nil {
		cancel()
	}
	waitErr := cmd.Wait()
	log.Info("ffmpeg stopped", "pid", cmd.Process.Pid, "frames", frames, "error", waitErr)

	return f.runError(ctx, frames, emitErr, waitErr, stderr.String())
}

// readFrames emits the JPEG frames read from ffmpeg's stdout until it closes, ctx ends or
// emit fails. It returns the number of frames and emit's error, if any.
func (f *FFmpeg) readFrames(ctx context.Context, stdout io.Reader,
	emit func(Frame) error) (uint64, error) {
	maxSize := f.MaxFrameSize
	if maxSize <= 0 {
		maxSize = DefaultMaxFrameSize
	}

	scanner := newJPEGScanner(stdout, maxSize)
	var seq uint64
	for scanner.Scan() {
		// The scanner may hold buffered frames after ctx ends, and they must not be emitted.
		if ctx.Err() != nil {
			return seq, nil
		}

		seq++
		data := bytes.Clone(scanner.Bytes())
		frame := Frame{Seq: seq, Time: time.Now(), Data: data, Source: f.Name()}
		if err := emit(frame); err != nil {
			return seq, err
		}
	}

	// A scanner error means the pipe broke, which Wait reports with a better reason.
	return seq, nil
}

// runError picks what Run returns, in order: emit's error, the end of the caller's
// context, ffmpeg's failure with its stderr, and ErrNoFrames for an input without frames.
func (f *FFmpeg) runError(ctx context.Context, frames uint64, emitErr, waitErr error,
	stderr string) error {
	if emitErr != nil {
		return emitErr
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if waitErr != nil {
		// ffmpeg repeats the input in its messages, with the password of an RTSP URL.
		stderr = strings.ReplaceAll(strings.TrimSpace(stderr), f.Input, f.Name())
		return fmt.Errorf("ffmpeg %s: %w: %s", f.Name(), waitErr, stderr)
	}
	if frames == 0 {
		return fmt.Errorf("ffmpeg %s: %w", f.Name(), ErrNoFrames)
	}

	return nil
}

// path returns the ffmpeg binary to run.
func (f *FFmpeg) path() string {
	if f.Path != "" {
		return f.Path
	}

	return DefaultFFmpegPath
}

// args returns ffmpeg's command-line arguments.
func (f *FFmpeg) args() []string {
	args := []string{"-hide_banner", "-loglevel", "error", "-nostdin"}
	if isRTSP(f.Input) {
		args = append(args, "-rtsp_transport", "tcp")
	} else if f.Realtime {
		args = append(args, "-re")
	}
	args = append(args, "-i", f.Input, "-an")

	if filter := f.videoFilter(); filter != "" {
		args = append(args, "-vf", filter)
	}

	return append(args, "-f", "image2pipe", "-c:v", "mjpeg", "-q:v", "3", "pipe:1")
}

// videoFilter returns the -vf filter graph, or "" when no filter is needed.
func (f *FFmpeg) videoFilter() string {
	var filters []string
	if f.FPS > 0 {
		filters = append(filters, "fps="+strconv.FormatFloat(f.FPS, 'f', -1, 64))
	}
	if f.MaxWidth > 0 {
		// The quotes keep the comma inside min() from splitting the filter graph, and -2
		// keeps the aspect ratio with the height rounded to an even number.
		filters = append(filters, fmt.Sprintf("scale='min(%d,iw)':-2", f.MaxWidth))
	}

	return strings.Join(filters, ",")
}

// isRTSP reports whether input is an RTSP URL.
func isRTSP(input string) bool {
	lower := strings.ToLower(input)

	return strings.HasPrefix(lower, "rtsp://") || strings.HasPrefix(lower, "rtsps://")
}

// tailBuffer is an io.Writer that keeps the last limit bytes written to it. It is safe for
// concurrent use, because exec copies stderr from its own goroutine.
type tailBuffer struct {
	mu    sync.Mutex
	limit int
	data  []byte
}

// Write appends p and drops the oldest bytes beyond the limit.
func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()

	b.data = append(b.data, p...)
	if extra := len(b.data) - b.limit; extra > 0 {
		b.data = b.data[extra:]
	}

	return len(p), nil
}

// String returns the bytes kept.
func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()

	return string(b.data)
}
