package replicate

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
)

// newRaftLogger returns an hclog.Logger for raft that sends every record to logger. hclog's
// own output is discarded, and the intercept sink passes each record on with its level.
func newRaftLogger(logger *slog.Logger) hclog.Logger {
	intercept := hclog.NewInterceptLogger(&hclog.LoggerOptions{
		Name:   "raft",
		Level:  hclog.Debug,
		Output: io.Discard,
	})
	intercept.RegisterSink(&slogSink{logger: logger, now: time.Now,
		last: map[string]peerNotice{}})

	return intercept
}

// peerErrors are the messages raft logs at ERROR when it cannot reach a peer, or when a
// peer is so far behind that it needs a snapshot ("failed to get log"). A peer that is
// starting, restarting or cut off causes them many times a second, and raft retries by
// itself, so they are warnings about that peer rather than errors of this node.
var peerErrors = []string{
	"failed to appendEntries to",
	"failed to pipeline appendEntries",
	"failed to heartbeat to",
	"failed to send snapshot to",
	"failed to install snapshot",
	"failed to contact",
	"failed to make requestVote RPC",
	"failed to get log",
}

// peerNoticeEvery is how often one peer error is logged for one peer.
const peerNoticeEvery = 30 * time.Second

// slogSink adapts hclog records to slog.
type slogSink struct {
	logger *slog.Logger
	now    func() time.Time

	mu   sync.Mutex
	last map[string]peerNotice // by message and peer
}

// peerNotice is when a peer error was last logged, and how often it came since.
type peerNotice struct {
	at      time.Time
	dropped int
}

// Accept logs one hclog record. args are hclog's alternating keys and values, and name is
// the hclog logger's name, such as "raft" or "snapshot". admit limits a peer error to one
// warning per peerNoticeEvery for one peer, which carries the number left out.
func (s *slogSink) Accept(name string, level hclog.Level, msg string, args ...any) {
	slogLevel := slogLevelOf(level)
	if level == hclog.Error && isPeerError(msg) {
		slogLevel = slog.LevelWarn
		dropped, ok := s.admit(msg + fmt.Sprint(peerOf(args)))
		if !ok {
			return
		}
		if dropped > 0 {
			args = append(args, "repeats_not_logged", dropped)
		}
	}
	if !s.logger.Enabled(context.Background(), slogLevel) {
		return
	}

	// The node's logger already carries "component"; hclog's name goes under its own key.
	s.logger.Log(context.Background(), slogLevel, msg, append(args, "subsystem", name)...)
}

// admit reports whether the peer error under key may be logged now, and how many were
// left out since the last one logged.
func (s *slogSink) admit(key string) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	n, seen := s.last[key]
	if seen && now.Sub(n.at) < peerNoticeEvery {
		n.dropped++
		s.last[key] = n
		return 0, false
	}
	s.last[key] = peerNotice{at: now}
	return n.dropped, true
}

func isPeerError(msg string) bool {
	for _, m := range peerErrors {
		if strings.HasPrefix(msg, m) {
			return true
		}
	}
	return false
}

// peerOf returns the value of the "peer" argument of a record, or nil.
func peerOf(args []any) any {
	for i := 0; i+1 < len(args); i += 2 {
		if k, ok := args[i].(string); ok && k == "peer" {
			return args[i+1]
		}
	}
	return nil
}

func slogLevelOf(level hclog.Level) slog.Level {
	switch level {
	case hclog.Trace, hclog.Debug:
		return slog.LevelDebug
	case hclog.Warn:
		return slog.LevelWarn
	case hclog.Error:
		return slog.LevelError
	default:
		return slog.LevelInfo
	}
}
