package replicate

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"

	"github.com/cockroachdb/pebble/v2"
	"github.com/hashicorp/raft"
)

// fsm applies a group's log to the Applier's state in Pebble. Each command is committed in one
// batch with the applied index and the command's outcome, so a restart resumes exactly after
// the last committed command. raft calls Apply, ApplyBatch, Snapshot and Restore from one
// goroutine.
type fsm struct {
	db      *pebble.DB
	group   string
	applier Applier
	logger  *slog.Logger

	// applied mirrors rep/<group>/applied, for Status and for skipping replayed entries.
	applied atomic.Uint64

	// purge receives a signal, without blocking, after a forget or a snapshot install.
	purge chan struct{}

	// restoreLimit is the batch size in bytes at which Restore commits, RestoreBatch's limit.
	restoreLimit int

	// partial is true while rep/<group>/restoring exists: a restore has started and not
	// finished, so the state holds part of a snapshot.
	partial atomic.Bool

	// replay mirrors rep/<group>/replay. Only raft's FSM goroutine, which calls Apply,
	// Snapshot and Restore, uses it, and Open before raft starts.
	replay replayState

	// pruneFloor is a lower bound of the stamps in the id time index, where pruneIDs starts
	// its scan. It starts at 0 (unknown) and rises as ids are pruned. An id recorded later
	// has a stamp at or after the horizon it was checked against, which is above every
	// stamp pruned before. The batch that prunes is the exception, so applyEntry lowers the
	// floor to the stamp it records.
	pruneFloor uint64
}

var _ raft.BatchingFSM = (*fsm)(nil)

// applyResult is the fsm's response to one entry, which raft returns as ApplyFuture.Response.
type applyResult struct {
	err error
}

func newFSM(db *pebble.DB, group string, applier Applier, logger *slog.Logger) (*fsm, error) {
	f := &fsm{
		db:      db,
		group:   group,
		applier: applier,
		logger:  logger,
		purge:   make(chan struct{}, 1),

		restoreLimit: defaultRestoreBatchBytes,
	}

	applied, err := f.readApplied()
	if err != nil {
		return nil, err
	}
	f.applied.Store(applied)

	if f.replay, err = readReplayState(db, group); err != nil {
		return nil, err
	}

	_, partial, err := readRestoring(db, group)
	if err != nil {
		return nil, err
	}
	f.partial.Store(partial)

	return f, nil
}

func (f *fsm) readApplied() (uint64, error) {
	return readIndex(f.db, appliedKey(f.group))
}

// readIndex reads an 8-byte big-endian index, or 0 when key is not set.
func readIndex(db *pebble.DB, key []byte) (uint64, error) {
	value, closer, err := db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", key, err)
	}
	defer closer.Close()

	if len(value) != 8 {
		return 0, fmt.Errorf("read %s: %d bytes, expected 8", key, len(value))
	}

	return binary.BigEndian.Uint64(value), nil
}

// Apply applies one entry and syncs it.
func (f *fsm) Apply(l *raft.Log) any {
	return f.applyOne(l, pebble.Sync)
}

// ApplyBatch applies entries in order. Each entry is committed atomically on its own, but
// only the last commit is synced. Pebble's WAL is sequential, so syncing the last write makes
// the earlier ones durable too. A crash before that sync loses a suffix of whole commands,
// which raft applies again after the stored applied index.
func (f *fsm) ApplyBatch(logs []*raft.Log) []any {
	results := make([]any, len(logs))
	for i, l := range logs {
		opts := pebble.NoSync
		if i == len(logs)-1 {
			opts = pebble.Sync
		}
		results[i] = f.applyOne(l, opts)
	}

	return results
}

// applyOne applies l unless it is at or below the stored applied index, which happens when
// raft replays entries after a restart (the state was restored from Pebble, not a snapshot).
func (f *fsm) applyOne(l *raft.Log, opts *pebble.WriteOptions) any {
	if l.Index <= f.applied.Load() {
		return f.replayed(l)
	}

	batch := f.db.NewBatch()
	defer batch.Close()

	result := f.applyEntry(l, batch)
	f.must(batch.Set(appliedKey(f.group), binary.BigEndian.AppendUint64(nil, l.Index), nil))
	f.must(batch.Commit(opts))
	f.applied.Store(l.Index)
	f.replay = result.replay

	if result.forget {
		f.signalPurge()
	}

	return applyResult{err: result.err}
}

// entryResult is the effect of one entry before its batch is committed.
type entryResult struct {
	err    error
	forget bool
	// replay is the group's replay state after the entry.
	replay replayState
	// recorded is true when the entry's command id was recorded with its outcome.
	recorded bool
}

func (f *fsm) applyEntry(l *raft.Log, batch *pebble.Batch) entryResult {
	if l.Type != raft.LogCommand {
		return entryResult{replay: f.replay}
	}

	entry, err := decodeEntry(l.Data)
	if err != nil {
		f.logger.Error("skipping undecodable log entry", "index", l.Index, "error", err)
		return entryResult{err: err, replay: f.replay}
	}

	result := f.applyCommand(entry, batch)

	f.pruneIDs(batch, result.replay.horizon, entry.ID)
	if result.recorded {
		f.pruneFloor = min(f.pruneFloor, stampOf(entry.At))
	}
	f.must(batch.Set(replayKey(f.group), result.replay.encode(), nil))

	if result.forget {
		f.must(batch.Set(forgotKey(f.group), binary.BigEndian.AppendUint64(nil, l.Index), nil))
	}

	return result
}

// applyCommand applies the command of one entry unless its id is recorded or it is stale.
// The order of the checks matters: a recorded id within the horizon returns its outcome even
// for a copy with another time, and only then is the command's own time checked.
func (f *fsm) applyCommand(entry logEntry, batch *pebble.Batch) entryResult {
	cmd := entry.Command
	if recorded, found := f.lookupOutcome(cmd.ID); found {
		return entryResult{err: recorded, replay: f.replay}
	}

	at := stampOf(cmd.At)
	if f.replay.stale(at) {
		return f.rejectStale(entry)
	}

	next := f.replay.advance(at, entry.Retention)
	if err := f.applier.Apply(f.group, batch, cmd); err != nil {
		batch.Reset()
		f.recordID(batch, cmd.ID, idRecord{rejected: true, reason: err.Error(), timed: true,
			at: at})
		return entryResult{err: &RejectedError{CommandID: cmd.ID, Reason: err.Error(), Err: err},
			replay: next, recorded: true}
	}

	f.recordID(batch, cmd.ID, idRecord{timed: true, at: at})

	return entryResult{forget: cmd.Op == OpForget, replay: next, recorded: true}
}

// rejectStale rejects a command written before the horizon without recording its id. The
// record would be invisible because it is before the horizon. The horizon never moves back,
// so every later try of the same command is rejected too.
func (f *fsm) rejectStale(entry logEntry) entryResult {
	err := f.replay.staleError(entry.At, entry.Retention)
	f.logger.Debug("rejected stale command", "command", entry.ID, "error", err)

	return entryResult{
		err:    &RejectedError{CommandID: entry.ID, Reason: err.Error(), Err: err},
		replay: f.replay,
	}
}

// replayed returns the recorded outcome of an entry that is already applied, or nil when its
// id is no longer recorded.
func (f *fsm) replayed(l *raft.Log) any {
	if l.Type != raft.LogCommand {
		return applyResult{}
	}

	cmd, err := decodeCommand(l.Data)
	if err != nil {
		return applyResult{err: err}
	}

	recorded, _ := f.lookupOutcome(cmd.ID)

	return applyResult{err: recorded}
}

func (f *fsm) signalPurge() {
	select {
	case f.purge <- struct{}{}:
	default:
	}
}

// must stops the node when its own database fails. Continuing would let this replica's state
// diverge from the log; after a restart raft applies again from the stored applied index.
func (f *fsm) must(err error) {
	if err != nil {
		f.logger.Error("state machine cannot write its database", "error", err)
		panic(fmt.Sprintf("replicate: group %s: state machine write failed: %v", f.group, err))
	}
}
