package camera

import (
	"bytes"
	"context"
	"errors"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// mjpegPart is one part an MJPEG test server sends.
type mjpegPart struct {
	contentType string
	data        []byte
	omitLength  bool // send no Content-Length header
}

// mjpegServer starts a loopback server whose every response is a multipart stream of parts,
// written in order. Unless repeat is set, the response ends after the last part without a
// closing boundary, as when a camera drops the connection. It returns the server and a
// counter of requests.
func mjpegServer(t *testing.T, parts []mjpegPart, repeat bool) (*httptest.Server,
	*atomic.Int64) {
	t.Helper()

	var requests atomic.Int64
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		writer := multipart.NewWriter(w)
		w.Header().Set("Content-Type", "multipart/x-mixed-replace; boundary="+writer.Boundary())

		for {
			for _, part := range parts {
				if !writePart(w, writer, part) || r.Context().Err() != nil {
					return
				}
			}
			if !repeat {
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}))
	t.Cleanup(server.Close)

	return server, &requests
}

// writePart writes one part and flushes it, and reports whether the client still listens.
func writePart(w http.ResponseWriter, writer *multipart.Writer, part mjpegPart) bool {
	header := textproto.MIMEHeader{}
	header.Set("Content-Type", part.contentType)
	if !part.omitLength {
		header.Set("Content-Length", strconv.Itoa(len(part.data)))
	}

	body, err := writer.CreatePart(header)
	if err != nil {
		return false
	}
	if _, err := body.Write(part.data); err != nil {
		return false
	}
	w.(http.Flusher).Flush()

	return true
}

func jpegParts(t *testing.T, samples ...int) []mjpegPart {
	t.Helper()

	var parts []mjpegPart
	for _, n := range samples {
		parts = append(parts, mjpegPart{contentType: "image/jpeg", data: mustReadSample(t, n)})
	}

	return parts
}

// runFor runs source until it returns or timeout passes, and returns its error.
func runFor(t *testing.T, source Source, c *collector, timeout time.Duration) error {
	t.Helper()

	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	c.cancel = cancel

	return source.Run(ctx, c.emit)
}

func TestMJPEG_ReadsStream(t *testing.T) {
	server, requests := mjpegServer(t, jpegParts(t, 1, 2, 3), true)

	c := collector{limit: 6}
	err := runFor(t, NewMJPEG(server.URL), &c, 10*time.Second)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v, want context.Canceled after 6 frames", err)
	}

	frames := c.snapshot()
	if len(frames) != 6 {
		t.Fatalf("got %d frames, want 6", len(frames))
	}
	for i, frame := range frames {
		if want := mustReadSample(t, i%3+1); !bytes.Equal(frame.Data, want) {
			t.Errorf("frame %d is not sample%d.jpg byte for byte", i, i%3+1)
		}
		if frame.Seq != uint64(i+1) {
			t.Errorf("frame %d: Seq = %d, want %d", i, frame.Seq, i+1)
		}
	}
	mustDecodeJPEG(t, frames[0].Data)

	if got := requests.Load(); got != 1 {
		t.Errorf("server got %d requests, want 1", got)
	}
}

func TestMJPEG_ReconnectsAfterDrop(t *testing.T) {
	server, requests := mjpegServer(t, jpegParts(t, 4, 5), false)
	source := &MJPEG{URL: server.URL, MinBackoff: 10 * time.Millisecond}

	c := collector{limit: 7}
	err := runFor(t, source, &c, 10*time.Second)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v, want context.Canceled after 7 frames", err)
	}

	if got := requests.Load(); got < 4 {
		t.Errorf("server got %d requests, want at least 4 for 7 frames at 2 per connection", got)
	}
	frames := c.snapshot()
	if len(frames) != 7 {
		t.Fatalf("got %d frames, want 7", len(frames))
	}
	if frames[6].Seq != 7 {
		t.Errorf("Seq after reconnections = %d, want 7", frames[6].Seq)
	}
}

func TestMJPEG_SkipsBadParts(t *testing.T) {
	parts := []mjpegPart{
		{"text/plain", []byte("camera booting"), false},
		{"image/jpeg", mustReadSample(t, 6), false}, // larger than MaxFrameSize below
		{"image/jpeg", mustReadSample(t, 1), false},
	}
	server, _ := mjpegServer(t, parts, true)
	source := &MJPEG{URL: server.URL, MaxFrameSize: 200 << 10}

	c := collector{limit: 2}
	err := runFor(t, source, &c, 10*time.Second)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v, want context.Canceled after 2 frames", err)
	}

	for i, frame := range c.snapshot() {
		if !bytes.Equal(frame.Data, mustReadSample(t, 1)) {
			t.Errorf("frame %d is not sample1.jpg; a bad part was emitted", i)
		}
	}
}

func TestMJPEG_PartsWithoutLength(t *testing.T) {
	parts := []mjpegPart{
		{"image/jpeg", mustReadSample(t, 6), true}, // larger than MaxFrameSize below
		{"image/jpeg", mustReadSample(t, 2), true},
		{"text/plain", []byte("status ok"), true},
	}
	server, _ := mjpegServer(t, parts, true)
	source := &MJPEG{URL: server.URL, MaxFrameSize: 200 << 10}

	c := collector{limit: 2}
	err := runFor(t, source, &c, 10*time.Second)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v, want context.Canceled after 2 frames", err)
	}

	for i, frame := range c.snapshot() {
		if !bytes.Equal(frame.Data, mustReadSample(t, 2)) {
			t.Errorf("frame %d is not sample2.jpg; a bad part was emitted", i)
		}
	}
}

func TestMJPEG_GarbageBodyRetries(t *testing.T) {
	var requests atomic.Int64
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "multipart/x-mixed-replace; boundary=frame")
		w.Write(bytes.Repeat([]byte("\xff\xd8 no boundary here \r\n"), 100))
	}))
	defer server.Close()
	source := &MJPEG{URL: server.URL, MinBackoff: 10 * time.Millisecond}

	var c collector
	err := runFor(t, source, &c, 300*time.Millisecond)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run returned %v, want context.DeadlineExceeded", err)
	}
	if got := len(c.snapshot()); got != 0 {
		t.Errorf("got %d frames from garbage", got)
	}
	if got := requests.Load(); got < 2 {
		t.Errorf("server got %d requests, want reconnections", got)
	}
}

func TestMJPEG_ServerErrorRetries(t *testing.T) {
	var requests atomic.Int64
	good, _ := mjpegServer(t, jpegParts(t, 2), true)
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if requests.Add(1) <= 2 {
			http.Error(w, "camera starting", http.StatusServiceUnavailable)
			return
		}
		http.Redirect(w, r, good.URL, http.StatusFound)
	}))
	defer server.Close()
	source := &MJPEG{URL: server.URL, MinBackoff: 10 * time.Millisecond}

	c := collector{limit: 1}
	err := runFor(t, source, &c, 10*time.Second)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v, want context.Canceled after a frame", err)
	}
	if got := requests.Load(); got != 3 {
		t.Errorf("server got %d requests, want 3 (two 503s, then the stream)", got)
	}
}

func TestMJPEG_StalledStreamReconnects(t *testing.T) {
	var requests atomic.Int64
	sample := mjpegPart{contentType: "image/jpeg", data: mustReadSample(t, 3)}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		writer := multipart.NewWriter(w)
		w.Header().Set("Content-Type", "multipart/x-mixed-replace; boundary="+writer.Boundary())
		writePart(w, writer, sample)
		<-r.Context().Done() // the camera hangs with the connection open
	}))
	defer server.Close()
	source := &MJPEG{
		URL:          server.URL,
		StallTimeout: 100 * time.Millisecond,
		MinBackoff:   10 * time.Millisecond,
	}

	c := collector{limit: 3}
	err := runFor(t, source, &c, 10*time.Second)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v, want context.Canceled after 3 frames", err)
	}
	if got := requests.Load(); got != 3 {
		t.Errorf("server got %d requests, want 3 (one frame per connection)", got)
	}
}

func TestMJPEG_NotMultipartFails(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html>camera login</html>"))
	}))
	defer server.Close()

	var c collector
	err := runFor(t, NewMJPEG(server.URL), &c, 10*time.Second)
	if !errors.Is(err, ErrNotMultipart) {
		t.Fatalf("Run returned %v, want ErrNotMultipart", err)
	}
	if !strings.Contains(err.Error(), "text/html") {
		t.Errorf("error %q does not name the content type", err)
	}
}

func TestMJPEG_EmitErrorStopsRun(t *testing.T) {
	server, requests := mjpegServer(t, jpegParts(t, 1), true)
	stop := errors.New("consumer full")

	err := NewMJPEG(server.URL).Run(context.Background(), func(Frame) error { return stop })
	if !errors.Is(err, stop) {
		t.Errorf("Run returned %v, want the emit error", err)
	}
	if got := requests.Load(); got != 1 {
		t.Errorf("server got %d requests, want 1", got)
	}
}

func TestMJPEG_InvalidURLFails(t *testing.T) {
	var c collector
	err := runFor(t, NewMJPEG("http://127.0.0.1:bad-port/video"), &c, 10*time.Second)
	if err == nil || !strings.Contains(err.Error(), "invalid mjpeg url") {
		t.Errorf("Run returned %v, want an invalid URL error without retrying", err)
	}
}

func TestMJPEG_NameRedactsPassword(t *testing.T) {
	source := NewMJPEG("http://admin:secret@127.0.0.1:8080/video")

	if name := source.Name(); strings.Contains(name, "secret") {
		t.Errorf("Name() = %q contains the password", name)
	}
}
