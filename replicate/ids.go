package replicate

import (
	"encoding/binary"
	"errors"

	"github.com/cockroachdb/pebble/v2"
)

// Values stored under rep/<group>/ids/<id>. Versions before the replay horizon stored only
// the outcome code and the reason, with no time. Those values still decode, as records of
// unknown time: they are never pruned and always deduplicate, because no replica can tell
// when they were written. Their number stops growing once every node runs this version.
const (
	outcomeApplied  byte = 1 // applied at an unknown time
	outcomeRejected byte = 2 // rejected at an unknown time, followed by the reason
	timedApplied    byte = 3 // applied, followed by the stamp of Command.At (8 bytes)
	timedRejected   byte = 4 // rejected, followed by the stamp of Command.At and the reason
)

// maxPrunePerCommand bounds the index entries the state machine prunes while it applies one
// command, so that a large backlog (after an upgrade, or when the horizon jumps after a quiet
// month) spreads over many commands. Each command adds at most one id, so pruning 32 for each
// clears a backlog while adding at most 64 deletions to a command's batch.
const maxPrunePerCommand = 32

// idRecord is the decoded outcome of one command id.
type idRecord struct {
	rejected bool
	reason   string
	// timed is false for values written before ids carried a time.
	timed bool
	// at is the stamp of the command's At, when timed.
	at uint64
}

func (r idRecord) encode() []byte {
	code := timedApplied
	if r.rejected {
		code = timedRejected
	}

	value := binary.BigEndian.AppendUint64([]byte{code}, r.at)
	if r.rejected {
		value = append(value, r.reason...)
	}

	return value
}

// decodeIDRecord parses a value of either format. A value it cannot parse is read as
// applied with unknown time, which keeps deduplicating the id rather than applying it twice.
func decodeIDRecord(value []byte) idRecord {
	if len(value) == 0 {
		return idRecord{}
	}

	switch value[0] {
	case outcomeRejected:
		return idRecord{rejected: true, reason: string(value[1:])}
	case timedApplied, timedRejected:
		if len(value) < 9 {
			return idRecord{}
		}
		return idRecord{
			rejected: value[0] == timedRejected,
			reason:   string(value[9:]),
			timed:    true,
			at:       binary.BigEndian.Uint64(value[1:9]),
		}
	}

	return idRecord{}
}

// expired reports whether the record is before horizon, which hides it from the duplicate
// check whether or not its key has been pruned yet.
func (r idRecord) expired(horizon uint64) bool {
	return r.timed && r.at < horizon
}

// outcome returns nil for an applied command and a *RejectedError for a rejected one.
func (r idRecord) outcome(id string) error {
	if !r.rejected {
		return nil
	}

	return &RejectedError{CommandID: id, Reason: r.reason}
}

// recordID writes id's outcome and its entry in the time index into batch.
func (f *fsm) recordID(batch *pebble.Batch, id string, record idRecord) {
	f.must(batch.Set(idKey(f.group, id), record.encode(), nil))
	f.must(batch.Set(idTimeKey(f.group, record.at, id), nil, nil))
}

// lookupOutcome returns the recorded outcome of id: found is false when id was never
// recorded or its record is before the horizon, and the error is nil when it was applied
// and a *RejectedError when it was rejected.
func (f *fsm) lookupOutcome(id string) (outcome error, found bool) {
	value, closer, err := f.db.Get(idKey(f.group, id))
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, false
	}
	f.must(err)
	defer closer.Close()

	record := decodeIDRecord(value)
	if record.expired(f.replay.horizon) {
		return nil, false
	}

	return record.outcome(id), true
}

// pruneIDs adds to batch the deletion of up to maxPrunePerCommand ids recorded before
// horizon, oldest first, with their time index entries. It reads the committed state, so it
// leaves current alone: the batch may have just recorded that id again with a newer time.
// Pruned records were already invisible to lookupOutcome, so pruning changes no outcome.
//
// The scan starts at pruneFloor, not at the start of the index, because Pebble keeps the
// tombstones of pruned entries until a compaction. Skipping them on every command made each
// apply about four times slower in one run of BenchmarkFSM_ApplyPruning.
func (f *fsm) pruneIDs(batch *pebble.Batch, horizon uint64, current string) {
	if horizon <= f.pruneFloor {
		return
	}

	prefix := idTimesPrefix(f.group)
	iter, err := f.db.NewIter(&pebble.IterOptions{
		LowerBound: appendUint64(prefix, f.pruneFloor),
		UpperBound: appendUint64(prefix, horizon),
	})
	f.must(err)
	defer iter.Close()

	pruned := 0
	for iter.First(); iter.Valid() && pruned < maxPrunePerCommand; iter.Next() {
		f.pruneFloor = f.pruneID(batch, iter.Key()[len(prefix):], current)
		pruned++
	}
	f.must(iter.Error())

	// When the loop ran out of entries before the horizon, none is left below it.
	if !iter.Valid() {
		f.pruneFloor = horizon
	}
}

// pruneID deletes one time index entry, given as its stamp and id, and the id's record
// when the record still has that time, and returns the stamp. A record with another time was
// written again later and has its own index entry.
func (f *fsm) pruneID(batch *pebble.Batch, entry []byte, current string) uint64 {
	stamp := binary.BigEndian.Uint64(entry[:8])
	id := string(entry[8:])
	f.must(batch.Delete(idTimeKey(f.group, stamp, id), nil))

	if id == current {
		return stamp
	}

	value, closer, err := f.db.Get(idKey(f.group, id))
	if errors.Is(err, pebble.ErrNotFound) {
		return stamp
	}
	f.must(err)
	record := decodeIDRecord(value)
	closer.Close()

	if record.timed && record.at == stamp {
		f.must(batch.Delete(idKey(f.group, id), nil))
	}

	return stamp
}
