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
}

var _ raft.BatchingFSM = (*fsm)(nil)

// applyResult is the fsm's response to one entry, which raft returns as ApplyFuture.Response.
type applyResult struct {
	err error
}

// outcome codes stored under rep/<group>/ids/<id>.
const (
	outcomeApplied  byte = 1
	outcomeRejected byte = 2
)

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

	if result.forget {
		f.signalPurge()
	}

	return applyResult{err: result.err}
}

// entryResult is the effect of one entry before its batch is committed.
type entryResult struct {
	err    error
	forget bool
}

func (f *fsm) applyEntry(l *raft.Log, batch *pebble.Batch) entryResult {
	if l.Type != raft.LogCommand {
		return entryResult{}
	}

	cmd, err := decodeCommand(l.Data)
	if err != nil {
		f.logger.Error("skipping undecodable log entry", "index", l.Index, "error", err)
		return entryResult{err: err}
	}

	if recorded, found := f.lookupOutcome(cmd.ID); found {
		return entryResult{err: recorded}
	}

	if err := f.applier.Apply(f.group, batch, cmd); err != nil {
		batch.Reset()
		f.must(batch.Set(idKey(f.group, cmd.ID), rejectedOutcome(err), nil))
		return entryResult{err: &RejectedError{CommandID: cmd.ID, Reason: err.Error(), Err: err}}
	}

	f.must(batch.Set(idKey(f.group, cmd.ID), []byte{outcomeApplied}, nil))
	if cmd.Op != OpForget {
		return entryResult{}
	}

	f.must(batch.Set(forgotKey(f.group), binary.BigEndian.AppendUint64(nil, l.Index), nil))
	return entryResult{forget: true}
}

// replayed returns the recorded outcome of an entry that is already applied.
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

// lookupOutcome returns the recorded outcome of id: found is false when id was never applied,
// and the error is nil when it was applied and a *RejectedError when it was rejected.
func (f *fsm) lookupOutcome(id string) (outcome error, found bool) {
	value, closer, err := f.db.Get(idKey(f.group, id))
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, false
	}
	f.must(err)
	defer closer.Close()

	return decodeOutcome(id, value), true
}

func rejectedOutcome(err error) []byte {
	return append([]byte{outcomeRejected}, err.Error()...)
}

func decodeOutcome(id string, value []byte) error {
	if len(value) == 0 || value[0] != outcomeRejected {
		return nil
	}

	return &RejectedError{CommandID: id, Reason: string(value[1:])}
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
