package replicate

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/hashicorp/raft"
)

// Store is a group's raft.LogStore and raft.StableStore over a shared Pebble database, under
// the group's own key prefixes. Every write is synced before it returns.
type Store struct {
	db     *pebble.DB
	log    []byte
	stable []byte
}

var (
	_ raft.LogStore          = (*Store)(nil)
	_ raft.StableStore       = (*Store)(nil)
	_ raft.MonotonicLogStore = (*Store)(nil)
)

// NewStore returns the raft stores of group in db.
func NewStore(db *pebble.DB, group string) *Store {
	return &Store{db: db, log: logPrefix(group), stable: stablePrefix(group)}
}

// FirstIndex returns the index of the first stored log entry, or 0 when the log is empty.
func (s *Store) FirstIndex() (uint64, error) {
	return s.edgeIndex(true)
}

// LastIndex returns the index of the last stored log entry, or 0 when the log is empty.
func (s *Store) LastIndex() (uint64, error) {
	return s.edgeIndex(false)
}

func (s *Store) edgeIndex(first bool) (uint64, error) {
	iter, err := s.db.NewIter(&pebble.IterOptions{
		LowerBound: s.log,
		UpperBound: prefixEnd(s.log),
	})
	if err != nil {
		return 0, fmt.Errorf("open raft log iterator: %w", err)
	}
	defer iter.Close()

	found := iter.Last()
	if first {
		found = iter.First()
	}
	if !found {
		return 0, iter.Error()
	}

	return binary.BigEndian.Uint64(iter.Key()[len(s.log):]), nil
}

// GetLog reads the entry at index into log, or returns raft.ErrLogNotFound.
func (s *Store) GetLog(index uint64, log *raft.Log) error {
	value, closer, err := s.db.Get(appendUint64(s.log, index))
	if errors.Is(err, pebble.ErrNotFound) {
		return raft.ErrLogNotFound
	}
	if err != nil {
		return fmt.Errorf("read raft log entry %d: %w", index, err)
	}
	defer closer.Close()

	return decodeLog(value, log)
}

// StoreLog stores one entry.
func (s *Store) StoreLog(log *raft.Log) error {
	return s.StoreLogs([]*raft.Log{log})
}

// StoreLogs stores entries in one synced batch.
func (s *Store) StoreLogs(logs []*raft.Log) error {
	batch := s.db.NewBatch()
	defer batch.Close()

	for _, l := range logs {
		if err := batch.Set(appendUint64(s.log, l.Index), encodeLog(l), nil); err != nil {
			return fmt.Errorf("store raft log entry %d: %w", l.Index, err)
		}
	}

	if err := batch.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("commit %d raft log entries: %w", len(logs), err)
	}

	return nil
}

// DeleteRange deletes the entries from minIndex to maxIndex, both included, with one range
// tombstone. The bytes leave the Pebble files only when a compaction rewrites the range.
func (s *Store) DeleteRange(minIndex, maxIndex uint64) error {
	start := appendUint64(s.log, minIndex)
	end := prefixEnd(s.log)
	if maxIndex < math.MaxUint64 {
		end = appendUint64(s.log, maxIndex+1)
	}

	if err := s.db.DeleteRange(start, end, pebble.Sync); err != nil {
		return fmt.Errorf("delete raft log entries %d-%d: %w", minIndex, maxIndex, err)
	}

	return nil
}

// IsMonotonic returns true: indexes are dense, so after installing a snapshot raft deletes the
// whole older log instead of leaving a gap. That also removes entries of a forgotten client
// from a node that caught up through a snapshot.
func (s *Store) IsMonotonic() bool {
	return true
}

// Set stores a stable value.
func (s *Store) Set(key, value []byte) error {
	if err := s.db.Set(append(s.stable[:len(s.stable):len(s.stable)], key...), value,
		pebble.Sync); err != nil {
		return fmt.Errorf("store raft stable key %q: %w", key, err)
	}

	return nil
}

// Get returns a stable value, or an empty slice when key is not set.
func (s *Store) Get(key []byte) ([]byte, error) {
	value, closer, err := s.db.Get(append(s.stable[:len(s.stable):len(s.stable)], key...))
	if errors.Is(err, pebble.ErrNotFound) {
		return []byte{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read raft stable key %q: %w", key, err)
	}
	defer closer.Close()

	return append([]byte(nil), value...), nil
}

// SetUint64 stores a stable value as 8 bytes big-endian.
func (s *Store) SetUint64(key []byte, value uint64) error {
	return s.Set(key, binary.BigEndian.AppendUint64(nil, value))
}

// GetUint64 returns a stable value stored by SetUint64, or 0 when key is not set.
func (s *Store) GetUint64(key []byte) (uint64, error) {
	value, err := s.Get(key)
	if err != nil {
		return 0, err
	}
	if len(value) == 0 {
		return 0, nil
	}
	if len(value) != 8 {
		return 0, fmt.Errorf("read raft stable key %q: %d bytes, expected 8", key, len(value))
	}

	return binary.BigEndian.Uint64(value), nil
}

// encodeLog lays out a raft.Log as index, term, type, appended-at (Unix ns), then data and
// extensions, each behind a uvarint length.
func encodeLog(l *raft.Log) []byte {
	buf := make([]byte, 0, 25+2*binary.MaxVarintLen64+len(l.Data)+len(l.Extensions))
	buf = binary.BigEndian.AppendUint64(buf, l.Index)
	buf = binary.BigEndian.AppendUint64(buf, l.Term)
	buf = append(buf, byte(l.Type))

	var appended int64
	if !l.AppendedAt.IsZero() {
		appended = l.AppendedAt.UnixNano()
	}
	buf = binary.BigEndian.AppendUint64(buf, uint64(appended))

	buf = binary.AppendUvarint(buf, uint64(len(l.Data)))
	buf = append(buf, l.Data...)
	buf = binary.AppendUvarint(buf, uint64(len(l.Extensions)))

	return append(buf, l.Extensions...)
}

// decodeLog parses what encodeLog wrote, copying the bytes out of Pebble's buffer.
func decodeLog(buf []byte, l *raft.Log) error {
	if len(buf) < 25 {
		return fmt.Errorf("decode raft log entry: %d bytes, expected at least 25", len(buf))
	}

	l.Index = binary.BigEndian.Uint64(buf[0:8])
	l.Term = binary.BigEndian.Uint64(buf[8:16])
	l.Type = raft.LogType(buf[16])
	l.AppendedAt = time.Time{}
	if ns := int64(binary.BigEndian.Uint64(buf[17:25])); ns != 0 {
		l.AppendedAt = time.Unix(0, ns)
	}

	rest := buf[25:]
	var err error
	if l.Data, rest, err = readField(rest); err != nil {
		return fmt.Errorf("decode raft log entry %d data: %w", l.Index, err)
	}
	if l.Extensions, _, err = readField(rest); err != nil {
		return fmt.Errorf("decode raft log entry %d extensions: %w", l.Index, err)
	}

	return nil
}

// readField reads a uvarint length and that many bytes, returning a copy and the rest.
func readField(buf []byte) (field, rest []byte, err error) {
	n, size := binary.Uvarint(buf)
	if size <= 0 || uint64(len(buf)-size) < n {
		return nil, nil, errors.New("truncated field")
	}

	field = append([]byte(nil), buf[size:size+int(n)]...)

	return field, buf[size+int(n):], nil
}
