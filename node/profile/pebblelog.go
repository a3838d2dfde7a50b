package profile

import (
	"fmt"
	"log/slog"
	"os"
)

// pebbleLogger sends Pebble's log messages to slog: its frequent informational
// messages at debug level and its errors at error level.
type pebbleLogger struct {
	log *slog.Logger
}

func (l pebbleLogger) Infof(format string, args ...any) {
	l.log.Debug(fmt.Sprintf(format, args...))
}

func (l pebbleLogger) Errorf(format string, args ...any) {
	l.log.Error(fmt.Sprintf(format, args...))
}

// Fatalf logs the message and exits like Pebble's default logger, because Pebble calls
// it only when the database cannot safely continue.
func (l pebbleLogger) Fatalf(format string, args ...any) {
	l.log.Error(fmt.Sprintf(format, args...))
	os.Exit(1)
}
