package replicate

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/cockroachdb/pebble/v2"
	"github.com/hashicorp/raft"
)

// Snapshot layout: snapshotMagic, the applied index (8 bytes big-endian), the recorded command
// outcomes as (uvarint id length, id, uvarint outcome length, outcome) ending with a zero id
// length, then the Applier's own snapshot to the end of the stream.
var snapshotMagic = []byte("omrep\x01")

// Snapshot captures the state at the current applied index. It only opens a Pebble snapshot;
// Persist does the reading while Apply goes on. It fails while a restore is unfinished,
// because the state then holds part of the old state and part of a snapshot.
func (f *fsm) Snapshot() (raft.FSMSnapshot, error) {
	if f.partial.Load() {
		return nil, fmt.Errorf("snapshot %s: %w", f.group, ErrPartialState)
	}

	return &fsmSnapshot{fsm: f, snap: f.db.NewSnapshot(), applied: f.applied.Load()}, nil
}

type fsmSnapshot struct {
	fsm     *fsm
	snap    *pebble.Snapshot
	applied uint64
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

	if err := s.writeOutcomes(bw); err != nil {
		return err
	}

	if err := s.fsm.applier.WriteSnapshot(s.fsm.group, s.snap, bw); err != nil {
		return fmt.Errorf("write applier state: %w", err)
	}

	return bw.Flush()
}

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
