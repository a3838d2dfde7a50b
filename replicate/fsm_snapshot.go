package replicate

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
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
// Persist does the reading while Apply goes on.
func (f *fsm) Snapshot() (raft.FSMSnapshot, error) {
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

// Restore replaces the group's state, command outcomes and applied index with a snapshot's,
// in one synced batch.
func (f *fsm) Restore(rc io.ReadCloser) error {
	defer rc.Close()

	br := bufio.NewReader(rc)
	applied, err := readSnapshotHeader(br)
	if err != nil {
		return fmt.Errorf("restore %s: %w", f.group, err)
	}

	batch := f.db.NewBatch()
	defer batch.Close()

	prefix := idsPrefix(f.group)
	if err := batch.DeleteRange(prefix, prefixEnd(prefix), nil); err != nil {
		return fmt.Errorf("restore %s: clear command ids: %w", f.group, err)
	}

	if err := f.readOutcomes(br, batch); err != nil {
		return fmt.Errorf("restore %s: %w", f.group, err)
	}

	if err := f.applier.Restore(f.group, batch, br); err != nil {
		return fmt.Errorf("restore %s: applier state: %w", f.group, err)
	}

	if err := batch.Set(appliedKey(f.group), binary.BigEndian.AppendUint64(nil, applied),
		nil); err != nil {
		return fmt.Errorf("restore %s: applied index: %w", f.group, err)
	}

	if err := batch.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("restore %s: commit: %w", f.group, err)
	}

	f.applied.Store(applied)
	f.signalPurge()
	f.logger.Info("restored snapshot", "applied_index", applied)

	return nil
}

func readSnapshotHeader(br *bufio.Reader) (uint64, error) {
	header := make([]byte, len(snapshotMagic)+8)
	if _, err := io.ReadFull(br, header); err != nil {
		return 0, fmt.Errorf("read snapshot header: %w", err)
	}

	if !bytes.Equal(header[:len(snapshotMagic)], snapshotMagic) {
		return 0, errors.New("invalid snapshot: unknown format")
	}

	return binary.BigEndian.Uint64(header[len(snapshotMagic):]), nil
}

func (f *fsm) readOutcomes(br *bufio.Reader, batch *pebble.Batch) error {
	for {
		id, err := readSnapshotField(br)
		if err != nil {
			return fmt.Errorf("read command id: %w", err)
		}
		if len(id) == 0 {
			return nil
		}

		value, err := readSnapshotField(br)
		if err != nil {
			return fmt.Errorf("read outcome of command %s: %w", id, err)
		}

		if err := batch.Set(idKey(f.group, string(id)), value, nil); err != nil {
			return fmt.Errorf("store outcome of command %s: %w", id, err)
		}
	}
}

// maxSnapshotField bounds one id or outcome, so a corrupt length cannot allocate gigabytes.
const maxSnapshotField = 1 << 20

func readSnapshotField(br *bufio.Reader) ([]byte, error) {
	n, err := binary.ReadUvarint(br)
	if err != nil {
		return nil, err
	}
	if n > maxSnapshotField {
		return nil, fmt.Errorf("invalid snapshot: field of %d bytes", n)
	}

	field := make([]byte, n)
	_, err = io.ReadFull(br, field)

	return field, err
}
