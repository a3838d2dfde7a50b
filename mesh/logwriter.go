package mesh

import (
	"bytes"
	"context"
	"log/slog"
)

// slogWriter adapts a standard *log.Logger (with no prefix and no flags) to log/slog.
// memberlist types its level into each message, as in "[WARN] memberlist: ...", so the
// writer maps that prefix to a slog level and logs the rest as the message.
type slogWriter struct {
	logger *slog.Logger
}

// levelPrefixes maps memberlist's level prefixes to slog levels. memberlist v0.5.4 uses
// both ERR and ERROR.
var levelPrefixes = []struct {
	prefix string
	level  slog.Level
}{
	{"[TRACE]", slog.LevelDebug - 4},
	{"[DEBUG]", slog.LevelDebug},
	{"[INFO]", slog.LevelInfo},
	{"[WARN]", slog.LevelWarn},
	{"[ERR]", slog.LevelError},
	{"[ERROR]", slog.LevelError},
}

// Write logs one line. Text without a known prefix is logged at info level, and an error
// reaching a peer (see peerFailures) as a warning.
func (w slogWriter) Write(p []byte) (int, error) {
	line := bytes.TrimRight(p, "\r\n")
	level := slog.LevelInfo
	for _, candidate := range levelPrefixes {
		if rest, ok := bytes.CutPrefix(line, []byte(candidate.prefix)); ok {
			level = candidate.level
			line = bytes.TrimLeft(rest, " ")
			break
		}
	}
	line = bytes.TrimPrefix(line, []byte("memberlist: "))
	if level == slog.LevelError && aboutPeer(line) {
		// A message that did not reach a peer, which memberlist retries and probes by
		// itself: a warning about that peer, not an error of this node.
		level = slog.LevelWarn
	}

	w.logger.Log(context.Background(), level, string(line))
	return len(p), nil
}

// peerFailures start the memberlist errors that report a peer out of reach.
var peerFailures = [][]byte{
	[]byte("Failed to send "),
	[]byte("Failed fallback "),
	[]byte("Push/Pull with "),
}

// aboutPeer reports whether a memberlist error line reports a peer out of reach.
func aboutPeer(line []byte) bool {
	for _, p := range peerFailures {
		if bytes.HasPrefix(line, p) {
			return true
		}
	}
	return false
}
