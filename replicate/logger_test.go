package replicate

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
)

// recordingHandler keeps the records it is given.
type recordingHandler struct {
	mu      sync.Mutex
	records []slog.Record
}

func (h *recordingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *recordingHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *recordingHandler) WithGroup(string) slog.Handler            { return h }
func (h *recordingHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, r)
	return nil
}

// A peer that cannot be reached is a warning, logged once per 30 s per peer with the
// count left out; other errors stay errors.
func TestSlogSink_PeerErrorsBecomeRareWarnings(t *testing.T) {
	h := &recordingHandler{}
	clock := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	sink := &slogSink{logger: slog.New(h), now: func() time.Time { return clock },
		last: map[string]peerNotice{}}

	for range 50 { // half a second of a new member's transport starting
		sink.Accept("raft", hclog.Error, "failed to appendEntries to", "peer", "A")
		clock = clock.Add(10 * time.Millisecond)
	}
	sink.Accept("raft", hclog.Error, "failed to appendEntries to", "peer", "B")
	clock = clock.Add(30 * time.Second)
	sink.Accept("raft", hclog.Error, "failed to appendEntries to", "peer", "A")
	sink.Accept("raft", hclog.Error, "failed to apply configuration", "error", "x")

	levels := map[slog.Level]int{}
	var repeats int64
	for _, r := range h.records {
		levels[r.Level]++
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "repeats_not_logged" {
				repeats = a.Value.Int64()
			}
			return true
		})
	}
	if levels[slog.LevelWarn] != 3 {
		t.Errorf("%d warnings, want 3: peer A twice and peer B once", levels[slog.LevelWarn])
	}
	if levels[slog.LevelError] != 1 {
		t.Errorf("%d errors, want 1: the error that is not about a peer", levels[slog.LevelError])
	}
	if repeats != 49 {
		t.Errorf("repeats_not_logged = %d, want 49", repeats)
	}
}
