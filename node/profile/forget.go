package profile

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cockroachdb/pebble/v2"
)

// Forget erases a customer who withdrew consent. In one synced batch it deletes her
// record (cust/<id>, her only key) and writes a tombstone holding only her id, the time
// and by, the staff member who recorded the withdrawal. The tombstone makes a later
// Create with her id fail with ErrForgotten, so a late or replayed write cannot bring
// her back. Forget returns an error wrapping ErrNotFound for an unknown id and
// ErrForgotten for a second call.
//
// Forget then compacts her key range. In Pebble v2.1.7, DB.Compact flushes the
// memtables that overlap the range and rewrites every sstable that overlaps it down to
// the bottommost level. There the deletion and all older versions of her record are
// dropped, unless an open pebble.Snapshot still needs them. The sstables that held them
// become obsolete, and DeleteCleaner removes each one once no open iterator uses it.
// Write-ahead log files (*.log) need more: Pebble recycles an obsolete WAL by renaming it
// and overwriting it from the start, so her bytes could remain in a *.log file until new
// writes cover them. Forget therefore ends with ScrubWAL, which overwrites them.
func (s *Store) Forget(id, by string) error {
	if err := s.erase(id, by); err != nil {
		return fmt.Errorf("forget customer: %w", err)
	}

	s.compact(id)
	if err := s.ScrubWAL(); err != nil {
		s.log.Error("overwriting the WAL after forget failed", "customer_id", id, "error", err)
	}

	return nil
}

// erase deletes the record and writes the tombstone of id in one synced batch.
func (s *Store) erase(id, by string) error {
	unlock := s.lock(id)
	defer unlock()

	c, err := s.load(id)
	if err != nil {
		return err
	}

	tombstone, err := json.Marshal(Tombstone{ID: id, At: s.timestamp(), By: by})
	if err != nil {
		return fmt.Errorf("encode tombstone of %s: %w", id, err)
	}

	batch := s.db.NewBatch()
	defer batch.Close()

	if err := batch.Delete(customerKey(id), nil); err != nil {
		return fmt.Errorf("delete customer %s: %w", id, err)
	}

	if err := batch.Set(tombstoneKey(id), tombstone, nil); err != nil {
		return fmt.Errorf("write tombstone of %s: %w", id, err)
	}

	if err := batch.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("commit forget of %s: %w", id, err)
	}

	s.stats.customers.Add(-1)
	s.stats.descriptors.Add(-int64(len(c.Descriptors)))
	s.stats.tombstones.Add(1)
	s.log.Info("customer forgotten", "customer_id", id, "by", by,
		"descriptors", len(c.Descriptors))

	return nil
}

// compact compacts the key range of customer id. A failure is logged and not returned,
// because the deletion is already committed.
//
// NOTE: when the compaction fails, her data stays in sstables until a background
// compaction rewrites them, and nothing retries this one.
func (s *Store) compact(id string) {
	start := customerKey(id)
	end := append(customerKey(id), 0)

	if err := s.db.Compact(context.Background(), start, end, false); err != nil {
		s.log.Error("compaction after forget failed", "customer_id", id, "error", err)
	}
}

// Tombstone returns the tombstone of a forgotten customer, or an error wrapping
// ErrNotFound when id was never forgotten.
func (s *Store) Tombstone(id string) (Tombstone, error) {
	value, found, err := s.getValue(tombstoneKey(id))
	if err != nil {
		return Tombstone{}, fmt.Errorf("read tombstone of %s: %w", id, err)
	}

	if !found {
		return Tombstone{}, fmt.Errorf("%w: no tombstone for %s", ErrNotFound, id)
	}

	var t Tombstone
	if err := json.Unmarshal(value, &t); err != nil {
		return Tombstone{}, fmt.Errorf("decode tombstone of %s: %w", id, err)
	}

	return t, nil
}

// Export returns all the data of a customer as indented JSON, for a subject access
// request. It returns an error wrapping ErrNotFound or ErrForgotten.
func (s *Store) Export(id string) ([]byte, error) {
	c, err := s.load(id)
	if err != nil {
		return nil, fmt.Errorf("export customer: %w", err)
	}

	out, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("export customer %s: %w", id, err)
	}

	return out, nil
}
