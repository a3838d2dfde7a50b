package replicate

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/cockroachdb/pebble/v2"
)

// Restore replaces the group's state, command outcomes, replay horizon and applied index with
// a snapshot's.
// It commits the snapshot in batches of about f.restoreLimit bytes (see RestoreBatch), so
// it never holds the whole snapshot in memory. Before the first batch it writes the marker
// rep/<group>/restoring, synced. The last batch deletes the marker and sets the applied index,
// synced. When Restore fails or the node stops in between, the marker stays, and Open has
// raft restore the latest snapshot again.
func (f *fsm) Restore(rc io.ReadCloser) error {
	defer rc.Close()

	br := bufio.NewReader(rc)
	applied, replay, err := readSnapshotHeader(br)
	if err != nil {
		return fmt.Errorf("restore %s: %w", f.group, err)
	}

	if err := f.markRestoring(applied); err != nil {
		return fmt.Errorf("restore %s: %w", f.group, err)
	}

	// NOTE: from the first commit of rb until the last, readers of the database see part of
	// the old state and part of the snapshot. After a failed Restore they see it until raft
	// installs a snapshot again, on the leader's next try or at the next Open.
	rb := newRestoreBatch(f.db, f.restoreLimit)
	defer rb.close()

	if err := f.restoreState(rb, br); err != nil {
		return fmt.Errorf("restore %s at %d: %w", f.group, applied, err)
	}

	if err := f.finishRestore(rb, applied, replay); err != nil {
		return fmt.Errorf("restore %s at %d: %w", f.group, applied, err)
	}

	f.applied.Store(applied)
	f.replay = replay
	f.pruneFloor = 0
	f.partial.Store(false)
	f.signalPurge()
	f.logger.Info("restored snapshot", "applied_index", applied, "commits", rb.commits)

	return nil
}

// markRestoring writes the restore marker with the snapshot's index and syncs it, so that a
// crash after any later commit leaves the marker on disk.
func (f *fsm) markRestoring(applied uint64) error {
	err := f.db.Set(restoringKey(f.group), binary.BigEndian.AppendUint64(nil, applied),
		pebble.Sync)
	if err != nil {
		return fmt.Errorf("mark restore in progress: %w", err)
	}
	f.partial.Store(true)

	return nil
}

// restoreState clears the command ids and their time index, then writes the snapshot's
// outcomes and the Applier's state into rb.
func (f *fsm) restoreState(rb *RestoreBatch, br *bufio.Reader) error {
	for _, prefix := range [][]byte{idsPrefix(f.group), idTimesPrefix(f.group)} {
		if err := rb.Batch().DeleteRange(prefix, prefixEnd(prefix), nil); err != nil {
			return fmt.Errorf("clear command ids: %w", err)
		}
	}

	if err := f.readOutcomes(br, rb); err != nil {
		return err
	}

	if err := f.applier.Restore(f.group, rb, br); err != nil {
		return fmt.Errorf("applier state: %w", err)
	}

	return nil
}

// finishRestore commits the last batch with the applied index, the replay state and without
// the marker, synced.
func (f *fsm) finishRestore(rb *RestoreBatch, applied uint64, replay replayState) error {
	batch := rb.Batch()
	if err := batch.Set(appliedKey(f.group), binary.BigEndian.AppendUint64(nil, applied),
		nil); err != nil {
		return fmt.Errorf("applied index: %w", err)
	}

	if err := batch.Set(replayKey(f.group), replay.encode(), nil); err != nil {
		return fmt.Errorf("replay horizon: %w", err)
	}

	if err := batch.Delete(restoringKey(f.group), nil); err != nil {
		return fmt.Errorf("delete restore marker: %w", err)
	}

	return rb.commit(pebble.Sync)
}

// readRestoring returns the snapshot index stored in group's restore marker, and whether
// the marker exists.
func readRestoring(db *pebble.DB, group string) (index uint64, found bool, err error) {
	key := restoringKey(group)
	value, closer, err := db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("read %s: %w", key, err)
	}
	defer closer.Close()

	if len(value) != 8 {
		return 0, true, fmt.Errorf("read %s: %d bytes, expected 8", key, len(value))
	}

	return binary.BigEndian.Uint64(value), true, nil
}

// readSnapshotHeader reads the applied index and the replay state, which is zero in a
// snapshot of the first layout.
func readSnapshotHeader(br *bufio.Reader) (uint64, replayState, error) {
	header := make([]byte, len(snapshotMagic)+8)
	if _, err := io.ReadFull(br, header); err != nil {
		return 0, replayState{}, fmt.Errorf("read snapshot header: %w", err)
	}

	magic := header[:len(snapshotMagic)]
	applied := binary.BigEndian.Uint64(header[len(snapshotMagic):])
	switch {
	case bytes.Equal(magic, snapshotMagicV1):
		return applied, replayState{}, nil
	case !bytes.Equal(magic, snapshotMagic):
		return 0, replayState{}, errors.New("invalid snapshot: unknown format")
	}

	stamps := make([]byte, 16)
	if _, err := io.ReadFull(br, stamps); err != nil {
		return 0, replayState{}, fmt.Errorf("read snapshot replay horizon: %w", err)
	}

	return applied, replayState{
		highWater: binary.BigEndian.Uint64(stamps[:8]),
		horizon:   binary.BigEndian.Uint64(stamps[8:]),
	}, nil
}

func (f *fsm) readOutcomes(br *bufio.Reader, rb *RestoreBatch) error {
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

		if err := f.restoreID(rb.Batch(), string(id), value); err != nil {
			return fmt.Errorf("store outcome of command %s: %w", id, err)
		}

		if err := rb.Flush(); err != nil {
			return err
		}
	}
}

// restoreID writes one outcome and, when it has a time, its time index entry.
func (f *fsm) restoreID(batch *pebble.Batch, id string, value []byte) error {
	if err := batch.Set(idKey(f.group, id), value, nil); err != nil {
		return err
	}

	record := decodeIDRecord(value)
	if !record.timed {
		return nil
	}

	return batch.Set(idTimeKey(f.group, record.at, id), nil, nil)
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
