package replicate

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/cockroachdb/pebble/v2"
	"github.com/hashicorp/raft"
)

// Snapshot layout: snapshotMagic, then the applied index, the high-water stamp and the
// horizon stamp (8 bytes big-endian each). The recorded command outcomes follow as (uvarint
// id length, id, uvarint outcome length, outcome), ending with a zero id length. The
// Applier's own snapshot fills the rest of the stream. Restore also reads snapshotMagicV1, the layout without
// the two stamps, and restores it with no horizon.
var (
	snapshotMagic   = []byte("omrep\x02")
	snapshotMagicV1 = []byte("omrep\x01")
)

// Snapshot captures the state at the current applied index. It only opens a Pebble snapshot;
// Persist does the reading while Apply goes on. It fails while a restore is unfinished,
// because the state then holds part of the old state and part of a snapshot.
func (f *fsm) Snapshot() (raft.FSMSnapshot, error) {
	if f.partial.Load() {
		return nil, fmt.Errorf("snapshot %s: %w", f.group, ErrPartialState)
	}

	return &fsmSnapshot{fsm: f, snap: f.db.NewSnapshot(), applied: f.applied.Load(),
		replay: f.replay}, nil
}

type fsmSnapshot struct {
	fsm     *fsm
	snap    *pebble.Snapshot
	applied uint64
	replay  replayState
}

// Persist writes the snapshot to sink and closes it, or cancels sink on error.
func (s *fsmSnapshot) Persist(sink raft.SnapshotSink) error {
	if err := s.write(sink); err != nil {
		_ = sink.Cancel()
		return fmt.Errorf("persist snapshot of %s at %d: %w", s.fsm.group, s.applied, err)
	}

	return sink.Close()
}

func (s *fsmSnapshot) write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.Write(snapshotMagic)
	bw.Write(binary.BigEndian.AppendUint64(nil, s.applied))
	bw.Write(s.replay.encode())

	if err := s.writeOutcomes(bw); err != nil {
		return err
	}

	if err := s.fsm.applier.WriteSnapshot(s.fsm.group, s.snap, bw); err != nil {
		return fmt.Errorf("write applier state: %w", err)
	}

	return bw.Flush()
}

// writeOutcomes writes the recorded outcomes, leaving out those before the horizon because
// the duplicate check ignores them.
func (s *fsmSnapshot) writeOutcomes(bw *bufio.Writer) error {
	prefix := idsPrefix(s.fsm.group)
	iter, err := s.snap.NewIter(&pebble.IterOptions{
		LowerBound: prefix,
		UpperBound: prefixEnd(prefix),
	})
	if err != nil {
		return fmt.Errorf("open command id iterator: %w", err)
	}
	defer iter.Close()

	var lengths []byte
	for iter.First(); iter.Valid(); iter.Next() {
		id := iter.Key()[len(prefix):]
		value := iter.Value()
		if decodeIDRecord(value).expired(s.replay.horizon) {
			continue
		}

		lengths = binary.AppendUvarint(lengths[:0], uint64(len(id)))
		bw.Write(lengths)
		bw.Write(id)
		lengths = binary.AppendUvarint(lengths[:0], uint64(len(value)))
		bw.Write(lengths)
		bw.Write(value)
	}
	if err := iter.Error(); err != nil {
		return fmt.Errorf("read command ids: %w", err)
	}

	_, err = bw.Write(binary.AppendUvarint(nil, 0))

	return err
}

// Release closes the Pebble snapshot, which lets compactions drop the data it pinned.
func (s *fsmSnapshot) Release() {
	_ = s.snap.Close()
}
