package replicate

import (
	"context"
	"io"
	"log/slog"

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
	intercept.RegisterSink(slogSink{logger: logger})

	return intercept
}

// slogSink adapts hclog records to slog.
type slogSink struct {
	logger *slog.Logger
}

// Accept logs one hclog record; args are hclog's alternating keys and values, and name
// is the hclog logger's name, such as "raft" or "snapshot".
func (s slogSink) Accept(name string, level hclog.Level, msg string, args ...any) {
	slogLevel := slogLevelOf(level)
	if !s.logger.Enabled(context.Background(), slogLevel) {
		return
	}

	// The node's logger already carries "component"; hclog's name goes under its own key.
	s.logger.Log(context.Background(), slogLevel, msg, append(args, "subsystem", name)...)
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
