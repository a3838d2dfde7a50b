package replicate

import (
	"context"
	"log/slog"
	"sync"
)

// loggedRecord is one log record with its attributes and those of its logger, as text.
type loggedRecord struct {
	message string
	attrs   map[string]string
}

// logRecorder is a slog.Handler that keeps every record in memory, for tests that check
// what each node logged.
type logRecorder struct {
	mu      *sync.Mutex
	records *[]loggedRecord
	attrs   []slog.Attr
}

func newLogRecorder() *logRecorder {
	return &logRecorder{mu: &sync.Mutex{}, records: &[]loggedRecord{}}
}

func (h *logRecorder) Enabled(context.Context, slog.Level) bool { return true }

func (h *logRecorder) Handle(_ context.Context, r slog.Record) error {
	record := loggedRecord{message: r.Message, attrs: map[string]string{}}
	for _, a := range h.attrs {
		record.attrs[a.Key] = a.Value.String()
	}
	r.Attrs(func(a slog.Attr) bool {
		record.attrs[a.Key] = a.Value.String()
		return true
	})

	h.mu.Lock()
	*h.records = append(*h.records, record)
	h.mu.Unlock()

	return nil
}

func (h *logRecorder) WithAttrs(attrs []slog.Attr) slog.Handler {
	clone := *h
	clone.attrs = append(append([]slog.Attr(nil), h.attrs...), attrs...)

	return &clone
}

// WithGroup is not needed by this package's logs, which use no groups.
func (h *logRecorder) WithGroup(string) slog.Handler { return h }

// find returns the records with the given message.
func (h *logRecorder) find(message string) []loggedRecord {
	h.mu.Lock()
	defer h.mu.Unlock()

	var found []loggedRecord
	for _, r := range *h.records {
		if r.message == message {
			found = append(found, r)
		}
	}

	return found
}
