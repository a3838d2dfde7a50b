package mesh

import (
	"context"
	"log"
	"log/slog"
	"testing"
)

// recordHandler stores the records it receives.
type recordHandler struct {
	records *[]slog.Record
}

func (h recordHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h recordHandler) Handle(_ context.Context, record slog.Record) error {
	*h.records = append(*h.records, record)
	return nil
}

func (h recordHandler) WithAttrs([]slog.Attr) slog.Handler { return h }

func (h recordHandler) WithGroup(string) slog.Handler { return h }

func TestSlogWriter_Levels(t *testing.T) {
	cases := []struct {
		line      string
		wantLevel slog.Level
		wantMsg   string
	}{
		{"[DEBUG] memberlist: Stream connection from=127.0.0.1:5000", slog.LevelDebug,
			"Stream connection from=127.0.0.1:5000"},
		{"[INFO] memberlist: Marking b as failed", slog.LevelInfo, "Marking b as failed"},
		{"[WARN] memberlist: Was able to connect to b over TCP", slog.LevelWarn,
			"Was able to connect to b over TCP"},
		{"[ERR] memberlist: Failed to send ping", slog.LevelWarn, "Failed to send ping"},
		{"[ERR] memberlist: Failed to send gossip to 127.0.0.1:30613: write udp", slog.LevelWarn,
			"Failed to send gossip to 127.0.0.1:30613: write udp"},
		{"[ERR] memberlist: Failed fallback TCP ping: timeout 1s", slog.LevelWarn,
			"Failed fallback TCP ping: timeout 1s"},
		{"[ERR] memberlist: Push/Pull with m2 failed: EOF", slog.LevelWarn,
			"Push/Pull with m2 failed: EOF"},
		{"[ERR] memberlist: Failed to receive", slog.LevelError, "Failed to receive"},
		{"[ERROR] memberlist: Failed push/pull merge", slog.LevelError,
			"Failed push/pull merge"},
		{"[TRACE] memberlist: probe", slog.LevelDebug - 4, "probe"},
		{"no prefix at all", slog.LevelInfo, "no prefix at all"},
	}

	for _, tc := range cases {
		t.Run(tc.wantMsg, func(t *testing.T) {
			var records []slog.Record
			logger := log.New(slogWriter{logger: slog.New(recordHandler{&records})}, "", 0)
			logger.Print(tc.line)

			if len(records) != 1 {
				t.Fatalf("%d records, expected 1", len(records))
			}
			if records[0].Level != tc.wantLevel {
				t.Errorf("level %s, expected %s", records[0].Level, tc.wantLevel)
			}
			if records[0].Message != tc.wantMsg {
				t.Errorf("message %q, expected %q", records[0].Message, tc.wantMsg)
			}
		})
	}
}
