package camera

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Default timing of an MJPEG source.
const (
	DefaultMinBackoff   = 500 * time.Millisecond
	DefaultMaxBackoff   = 30 * time.Second
	DefaultStallTimeout = 10 * time.Second
)

// MJPEG is a Source that reads an MJPEG stream over HTTP: a response of type
// multipart/x-mixed-replace whose parts are JPEG images, as IP cameras serve it.
// It reconnects after errors and after the server ends the stream, until ctx ends.
type MJPEG struct {
	// URL is the http:// or https:// address of the stream.
	URL string

	// Client sends the request; nil means http.DefaultClient. A client Timeout would end
	// the endless response, so StallTimeout bounds the connection instead.
	Client *http.Client

	// MaxFrameSize is the largest part in bytes; larger parts are skipped. Zero means
	// DefaultMaxFrameSize.
	MaxFrameSize int

	// StallTimeout ends a connection that delivers no part for this long, and the source
	// reconnects. It also bounds connecting. Zero means DefaultStallTimeout.
	StallTimeout time.Duration

	// MinBackoff is the delay before the first reconnection, doubled after each failed
	// attempt up to MaxBackoff. Zero values mean DefaultMinBackoff and DefaultMaxBackoff.
	MinBackoff, MaxBackoff time.Duration

	// Logger receives a warning for each reconnection and skipped part; nil means
	// slog.Default().
	Logger *slog.Logger
}

// NewMJPEG returns an MJPEG source for the stream at rawURL.
func NewMJPEG(rawURL string) *MJPEG {
	return &MJPEG{URL: rawURL}
}

// Name returns the URL with any password redacted.
func (m *MJPEG) Name() string {
	return redactURL(m.URL)
}

// Run reads the stream and emits each JPEG part. It returns only when ctx ends, when emit
// fails, for an invalid URL, or with an error wrapping ErrNotMultipart when the server sends
// something other than a multipart stream.
func (m *MJPEG) Run(ctx context.Context, emit func(Frame) error) error {
	if _, err := http.NewRequest(http.MethodGet, m.URL, nil); err != nil {
		return fmt.Errorf("invalid mjpeg url %s: %w", m.Name(), withoutURL(err))
	}

	log := loggerOr(m.Logger).With("source", m.Name())
	backoff := m.minBackoff()
	var seq uint64
	failures := 0

	for {
		before := seq
		err := m.stream(ctx, log, &seq, emit)

		var emitErr *emitError
		switch {
		case errors.As(err, &emitErr):
			return emitErr.err
		case errors.Is(err, ErrNotMultipart):
			return err
		case ctx.Err() != nil:
			return ctx.Err()
		}

		if seq > before {
			backoff = m.minBackoff()
			failures = 0
		}
		failures++
		log.Warn("mjpeg stream interrupted, reconnecting",
			"failures", failures, "delay", backoff, "error", err)

		if err := sleepCtx(ctx, backoff); err != nil {
			return err
		}
		backoff = min(2*backoff, m.maxBackoff())
	}
}

// emitError carries the error of the caller's emit function out of stream, so that Run
// returns it instead of reconnecting.
type emitError struct{ err error }

func (e *emitError) Error() string { return e.err.Error() }

// stream reads one HTTP response until it fails, ends or stalls for StallTimeout, emitting
// each JPEG part. It always returns a non-nil error, because a camera's stream does not end.
func (m *MJPEG) stream(ctx context.Context, log *slog.Logger, seq *uint64,
	emit func(Frame) error) error {
	timeout := m.stallTimeout()
	connCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	stall := time.AfterFunc(timeout, func() {
		cancel(fmt.Errorf("no data from the server for %v", timeout))
	})
	defer stall.Stop()

	err := m.readParts(connCtx, log, seq, stall, emit)
	if cause := context.Cause(connCtx); cause != nil && ctx.Err() == nil {
		// The stall timer ended the connection, and its cause explains more than the
		// "context canceled" of the interrupted read.
		return cause
	}

	return err
}

// readParts opens the stream and emits its parts. It restarts the stall timer after each
// part, and stops it while emit runs so that a slow consumer does not end the connection.
func (m *MJPEG) readParts(ctx context.Context, log *slog.Logger, seq *uint64,
	stall *time.Timer, emit func(Frame) error) error {
	reader, body, err := m.open(ctx)
	if err != nil {
		return err
	}
	defer body.Close()

	maxSize := m.maxFrameSize()
	timeout := m.stallTimeout()
	skipped := 0
	for {
		part, err := reader.NextPart()
		if errors.Is(err, io.EOF) {
			return errors.New("server ended the stream")
		}
		if err != nil {
			return fmt.Errorf("read mjpeg part: %w", err)
		}

		data, err := readPart(part, maxSize)
		if err != nil {
			// Logging the 1st, 2nd, 4th, 8th... skip keeps a camera that sends only bad
			// parts from flooding the log.
			skipped++
			if skipped&(skipped-1) == 0 {
				log.Warn("skipping mjpeg part", "skipped", skipped, "error", err)
			}
			continue
		}

		// The reader may hold buffered parts after ctx ends, and they must not be emitted.
		if err := ctx.Err(); err != nil {
			return err
		}

		stall.Stop()
		*seq++
		frame := Frame{Seq: *seq, Time: time.Now(), Data: data, Source: m.Name()}
		if err := emit(frame); err != nil {
			return &emitError{err: err}
		}
		stall.Reset(timeout)
	}
}

// open sends the request and returns a multipart reader over the response body.
func (m *MJPEG) open(ctx context.Context) (*multipart.Reader, io.ReadCloser, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.URL, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("invalid mjpeg url %s: %w", m.Name(), withoutURL(err))
	}

	resp, err := m.client().Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("get %s: %w", m.Name(), withoutURL(err))
	}

	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, nil, fmt.Errorf("get %s: unexpected status %s", m.Name(), resp.Status)
	}

	contentType := resp.Header.Get("Content-Type")
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.HasPrefix(mediaType, "multipart/") || params["boundary"] == "" {
		resp.Body.Close()
		return nil, nil, fmt.Errorf("get %s: %w: content type %q, expected "+
			"multipart/x-mixed-replace with a boundary", m.Name(), ErrNotMultipart, contentType)
	}

	return multipart.NewReader(resp.Body, params["boundary"]), resp.Body, nil
}

// readPart returns the bytes of a part, which must be a JPEG of at most maxSize bytes.
//
// A part ends only where the next boundary begins, so a server that writes each boundary
// just before the next frame would delay every frame by one. When the part has a
// Content-Length header, as most cameras send, readPart reads that many bytes and returns
// without waiting for the boundary.
func readPart(part *multipart.Part, maxSize int) ([]byte, error) {
	data, err := readPartBody(part, maxSize)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(data, []byte{markerPrefix, markerSOI}) {
		return nil, fmt.Errorf("part of %d bytes is not a JPEG (type %q)",
			len(data), part.Header.Get("Content-Type"))
	}

	return data, nil
}

// readPartBody reads Content-Length bytes of part when the header is valid, and the whole
// part otherwise.
func readPartBody(part *multipart.Part, maxSize int) ([]byte, error) {
	length, err := strconv.Atoi(strings.TrimSpace(part.Header.Get("Content-Length")))
	if err != nil || length < 0 {
		data, err := io.ReadAll(io.LimitReader(part, int64(maxSize)+1))
		if err != nil {
			return nil, fmt.Errorf("read part: %w", err)
		}
		if len(data) > maxSize {
			return nil, fmt.Errorf("part is larger than the limit of %d bytes", maxSize)
		}

		return data, nil
	}

	if length > maxSize {
		return nil, fmt.Errorf("part of %d bytes is larger than the limit of %d bytes",
			length, maxSize)
	}
	data := make([]byte, length)
	if _, err := io.ReadFull(part, data); err != nil {
		return nil, fmt.Errorf("read part of %d bytes: %w", length, err)
	}

	return data, nil
}

// withoutURL returns the cause inside an http.Client error, whose message repeats the URL
// with any password in it.
func withoutURL(err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return urlErr.Err
	}

	return err
}

func (m *MJPEG) client() *http.Client {
	if m.Client != nil {
		return m.Client
	}

	return http.DefaultClient
}

func (m *MJPEG) maxFrameSize() int {
	if m.MaxFrameSize > 0 {
		return m.MaxFrameSize
	}

	return DefaultMaxFrameSize
}

func (m *MJPEG) stallTimeout() time.Duration {
	if m.StallTimeout > 0 {
		return m.StallTimeout
	}

	return DefaultStallTimeout
}

func (m *MJPEG) minBackoff() time.Duration {
	if m.MinBackoff > 0 {
		return m.MinBackoff
	}

	return DefaultMinBackoff
}

func (m *MJPEG) maxBackoff() time.Duration {
	if m.MaxBackoff > 0 {
		return m.MaxBackoff
	}

	return DefaultMaxBackoff
}
