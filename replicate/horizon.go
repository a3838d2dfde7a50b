package replicate

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/cockroachdb/pebble/v2"
)

// The replay horizon bounds how long a group keeps command ids. The state machine keeps the
// high-water time, the latest Command.At of any command it recorded, and the horizon, which
// is the high-water time minus the id retention of the entry that moved it and never moves
// back. Both are functions of the log alone, because the state machine reads no clock and the
// retention travels inside each log entry (the leader's GroupConfig.IDRetention), so every
// replica computes the same values even when the nodes' configurations differ.
//
// A command whose At is before the horizon is rejected as stale, because its id may have been
// pruned. Ids whose At is before the horizon are invisible to the duplicate check, so when
// their keys are deleted changes no outcome. The horizon only moves forward, so an id that
// is invisible once stays invisible.

// replayState is a group's high-water time and replay horizon, as stamps (see stampOf).
type replayState struct {
	highWater uint64
	horizon   uint64
}

// stampOf maps t to a uint64 that sorts like t: Unix nanoseconds with the sign bit flipped.
// Times before 1678 map to 0 and times after 2262, the range of int64 nanoseconds, map to
// the maximum, so the zero time.Time is older than any horizon.
func stampOf(t time.Time) uint64 {
	switch {
	case t.Before(minStampTime):
		return 0
	case t.After(maxStampTime):
		return math.MaxUint64
	}

	return uint64(t.UnixNano()) ^ 1<<63
}

// timeOf is the inverse of stampOf within its range.
func timeOf(stamp uint64) time.Time {
	return time.Unix(0, int64(stamp^1<<63)).UTC()
}

var (
	minStampTime = time.Unix(0, math.MinInt64)
	maxStampTime = time.Unix(0, math.MaxInt64)
)

// stale reports whether a command written at stamp at is before the horizon.
func (s replayState) stale(at uint64) bool {
	return at < s.horizon
}

// advance returns s after a command written at stamp at was recorded, with the id retention
// carried by its log entry. A retention of 0, from an entry written before the horizon
// existed, moves the high-water time but not the horizon.
func (s replayState) advance(at uint64, retention time.Duration) replayState {
	s.highWater = max(s.highWater, at)
	if retention <= 0 {
		return s
	}

	horizon := uint64(0)
	if span := uint64(retention.Nanoseconds()); s.highWater > span {
		horizon = s.highWater - span
	}
	s.horizon = max(s.horizon, horizon)

	return s
}

// staleError is the rejection reason of a command written at at, which every replica derives
// from the same log entry and state.
func (s replayState) staleError(at time.Time, retention time.Duration) error {
	horizon := timeOf(s.horizon).Format(time.RFC3339)
	if retention <= 0 {
		return fmt.Errorf("%w: written at %s, before the replay horizon %s", ErrStale,
			at.UTC().Format(time.RFC3339), horizon)
	}

	return fmt.Errorf("%w: written at %s, more than %s before the group's newest "+
		"command, so before the replay horizon %s", ErrStale, at.UTC().Format(time.RFC3339),
		formatRetention(retention), horizon)
}

// formatRetention writes whole days as "30 days" and other durations as time.Duration does.
func formatRetention(d time.Duration) string {
	const day = 24 * time.Hour
	if d%day != 0 {
		return d.String()
	}
	if d == day {
		return "1 day"
	}

	return fmt.Sprintf("%d days", d/day)
}

func (s replayState) encode() []byte {
	value := binary.BigEndian.AppendUint64(nil, s.highWater)

	return binary.BigEndian.AppendUint64(value, s.horizon)
}

// readReplayState reads rep/<group>/replay, or returns the zero state when it is not set.
func readReplayState(db pebble.Reader, group string) (replayState, error) {
	key := replayKey(group)
	value, closer, err := db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return replayState{}, nil
	}
	if err != nil {
		return replayState{}, fmt.Errorf("read %s: %w", key, err)
	}
	defer closer.Close()

	if len(value) != 16 {
		return replayState{}, fmt.Errorf("read %s: %d bytes, expected 16", key, len(value))
	}

	return replayState{
		highWater: binary.BigEndian.Uint64(value[:8]),
		horizon:   binary.BigEndian.Uint64(value[8:]),
	}, nil
}
