package camera

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"time"
)

// Frame is one encoded image, exactly as its source delivered it.
type Frame struct {
	Seq    uint64    // position in the run, counted from 1
	Time   time.Time // wall-clock time the source read the frame
	Data   []byte    // encoded image (JPEG, PNG, GIF or WebP); the receiver owns it
	Source string    // Name of the source that delivered the frame
}

// Source delivers frames until ctx ends or the source is exhausted.
//
// Run calls emit once per frame, from a single goroutine, and waits for it to return. Run
// returns nil when the source is exhausted, ctx.Err() when ctx ends, and emit's error
// unchanged when emit fails.
type Source interface {
	Name() string
	Run(ctx context.Context, emit func(Frame) error) error
}

// ErrNoFrames is returned when a source cannot deliver a single frame, such as an empty folder
// or a video without a video stream.
var ErrNoFrames = errors.New("no frames")

// ErrNotMultipart is returned when an MJPEG URL responds with a content type other than
// multipart, which usually means the URL points to a page or a snapshot, not a stream.
var ErrNotMultipart = errors.New("response is not multipart")

// DefaultMaxFrameSize is the largest encoded frame a source accepts unless configured
// otherwise. A 4K JPEG at high quality is about 3 MiB, so 16 MiB leaves room.
const DefaultMaxFrameSize = 16 << 20

// loggerOr returns l, or slog.Default() when l is nil, tagged with the component.
func loggerOr(l *slog.Logger) *slog.Logger {
	if l == nil {
		l = slog.Default()
	}

	return l.With("component", "camera")
}

// redactURL returns raw with any password replaced by "xxxxx", so a camera URL can be logged.
// When raw does not parse as a URL, the whole user information before "@" is replaced.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err == nil && u.User == nil {
		return raw // also keeps file paths unescaped
	}
	if err == nil {
		return u.Redacted()
	}

	scheme, rest, found := strings.Cut(raw, "://")
	if !found {
		return raw
	}
	authority, path, _ := strings.Cut(rest, "/")
	at := strings.LastIndex(authority, "@")
	if at < 0 {
		return raw
	}

	redacted := scheme + "://xxxxx" + authority[at:]
	if path != "" || strings.Contains(rest, "/") {
		redacted += "/" + path
	}

	return redacted
}

// sleepCtx waits for d or until ctx ends, and returns ctx.Err() in the second case.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}

	timer := time.NewTimer(d)
	defer timer.Stop()

	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
