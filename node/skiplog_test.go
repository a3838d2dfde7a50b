package node

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/omotenashi/omotenashi/vision/camera"
)

// recordLog is a slog handler that keeps every record.
type recordLog struct {
	mu      sync.Mutex
	records []slog.Record
}

func (h *recordLog) Enabled(context.Context, slog.Level) bool { return true }

func (h *recordLog) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, r.Clone())
	return nil
}

func (h *recordLog) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *recordLog) WithGroup(string) slog.Handler      { return h }

// drain returns the records kept so far and clears the list.
func (h *recordLog) drain() []slog.Record {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := h.records
	h.records = nil
	return out
}

// intAttr returns the integer attribute key of r, or -1 when r has none.
func intAttr(r slog.Record, key string) int {
	v := -1
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == key {
			v = int(a.Value.Int64())
			return false
		}
		return true
	})
	return v
}

// mustBlankJPEG returns a grey JPEG without a face, which the pipeline analyzes.
func mustBlankJPEG(t *testing.T) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 64, 64))
	for i := range img.Pix {
		img.Pix[i] = 128
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// frameAt is a frame captured at offset from the start of a run. A good frame decodes, and
// any other is not an image, so the pipeline skips it.
type frameAt struct {
	offset time.Duration
	good   bool
}

// every returns count frames, one each interval from start.
func every(start, interval time.Duration, count int, good bool) []frameAt {
	out := make([]frameAt, count)
	for i := range out {
		out[i] = frameAt{offset: start + time.Duration(i)*interval, good: good}
	}
	return out
}

func TestAnalyzeFrames_SkipLogLimited(t *testing.T) {
	logs := &recordLog{}
	tn := mustStartNode(t, func(c *Config) { c.Logger = slog.New(logs) })
	blank := mustBlankJPEG(t)

	tests := []struct {
		name      string
		frames    []frameAt
		wantFirst int // "frame skipped" lines
		wantSums  int // "frames skipped" lines
		skipped   int // frames skipped in all
	}{
		{
			// 1 first line, summaries at 10, 20, 30, 40 and 50 s, and one at the end.
			name: "25 fps all skipped for 60 s", frames: every(0, 40*time.Millisecond, 1500, false),
			wantFirst: 1, wantSums: 6, skipped: 1500,
		},
		{
			name: "one skipped frame", frames: every(0, time.Second, 1, false),
			wantFirst: 1, wantSums: 0, skipped: 1,
		},
		{
			// The summary of the burst comes with the first good frame past the interval,
			// at 12 s, so the skip at 12.5 s is in a second summary at the end.
			name: "burst then good frames",
			frames: append(append(every(0, 40*time.Millisecond, 10, false),
				every(5*time.Second, 7*time.Second, 2, true)...),
				frameAt{12500 * time.Millisecond, false}),
			wantFirst: 1, wantSums: 2, skipped: 11,
		},
		{
			// A skip long after the last line is logged alone again, with its error.
			name: "two skips far apart",
			frames: []frameAt{{0, false}, {time.Minute, true},
				{2 * time.Minute, false}},
			wantFirst: 2, wantSums: 0, skipped: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			slot := make(chan camera.Frame, len(tt.frames))
			for i, f := range tt.frames {
				data := []byte("not an image")
				if f.good {
					data = blank
				}
				slot <- camera.Frame{Seq: uint64(i + 1), Time: start.Add(f.offset), Data: data}
			}
			close(slot)
			logs.drain()

			tn.analyzeFrames(context.Background(), "door", slot)

			records := logs.drain()
			firsts := len(filterMessage(records, "frame skipped"))
			sums := filterMessage(records, "frames skipped")
			if firsts != tt.wantFirst {
				t.Errorf("%d \"frame skipped\" lines, want %d", firsts, tt.wantFirst)
			}
			if len(sums) != tt.wantSums {
				t.Errorf("%d \"frames skipped\" lines, want %d", len(sums), tt.wantSums)
			}
			counted := firsts
			for _, r := range sums {
				counted += intAttr(r, "frames")
			}
			if counted != tt.skipped {
				t.Errorf("lines count %d skipped frames, want %d", counted, tt.skipped)
			}
		})
	}
}

func filterMessage(records []slog.Record, msg string) []slog.Record {
	var out []slog.Record
	for _, r := range records {
		if r.Message == msg {
			out = append(out, r)
		}
	}
	return out
}
