package profile

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/cockroachdb/pebble/v2"
)

// The functions of this file let a replicated state machine apply its commands into a
// Pebble batch that it commits together with its own bookkeeping, so a command is applied
// once or not at all. A replicated client (consent scope brand or group) is written only
// through them, by one state machine at a time; the per-client locks of Update do not
// apply. Stats are adjusted when the call is made, before the batch commits.

// ReadIn returns the customer with the given id as reader sees it, or an error wrapping
// ErrNotFound or ErrForgotten.
func (s *Store) ReadIn(reader pebble.Reader, id string) (*Customer, error) {
	if forgotten, err := hasKey(reader, tombstoneKey(id)); err != nil {
		return nil, err
	} else if forgotten {
		return nil, fmt.Errorf("%w: %s", ErrForgotten, id)
	}

	value, closer, err := reader.Get(customerKey(id))
	if err == pebble.ErrNotFound {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if err != nil {
		return nil, fmt.Errorf("read customer %s: %w", id, err)
	}
	defer closer.Close()

	var c Customer
	if err := json.Unmarshal(value, &c); err != nil {
		return nil, fmt.Errorf("decode customer %s: %w", id, err)
	}
	return &c, nil
}

// PutIn validates c and writes it into batch, as a new or changed record. It rejects a
// forgotten id with ErrForgotten.
func (s *Store) PutIn(batch *pebble.Batch, c *Customer) error {
	if err := Validate(c); err != nil {
		return fmt.Errorf("put customer: %w", err)
	}
	if forgotten, err := hasKey(s.db, tombstoneKey(c.ID)); err != nil {
		return err
	} else if forgotten {
		return fmt.Errorf("put customer: %w: %s", ErrForgotten, c.ID)
	}

	before, _ := s.ReadIn(s.db, c.ID)
	value, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encode customer %s: %w", c.ID, err)
	}
	if err := batch.Set(customerKey(c.ID), value, nil); err != nil {
		return fmt.Errorf("write customer %s: %w", c.ID, err)
	}

	if before == nil {
		s.stats.customers.Add(1)
		s.stats.descriptors.Add(int64(len(c.Descriptors)))
	} else {
		s.stats.descriptors.Add(int64(len(c.Descriptors) - len(before.Descriptors)))
	}
	return nil
}

// DeleteIn removes a customer's record without a tombstone: she has not withdrawn consent,
// her consent no longer reaches this boutique. Deleting a missing record does nothing.
func (s *Store) DeleteIn(batch *pebble.Batch, id string) error {
	before, err := s.ReadIn(s.db, id)
	if err != nil {
		return nil
	}
	if err := batch.Delete(customerKey(id), nil); err != nil {
		return fmt.Errorf("delete customer %s: %w", id, err)
	}
	s.stats.customers.Add(-1)
	s.stats.descriptors.Add(-int64(len(before.Descriptors)))
	return nil
}

// ForgetIn deletes a customer's record into batch and writes her tombstone, as Forget
// does. It writes the tombstone even when this node never held her record, so that a
// write arriving later is refused here too. Forgetting twice does nothing.
func (s *Store) ForgetIn(batch *pebble.Batch, id, by string, at time.Time) error {
	if forgotten, err := hasKey(s.db, tombstoneKey(id)); err != nil || forgotten {
		return err
	}
	if err := s.DeleteIn(batch, id); err != nil {
		return err
	}

	tombstone, err := json.Marshal(Tombstone{ID: id, At: at.UTC(), By: by})
	if err != nil {
		return fmt.Errorf("encode tombstone of %s: %w", id, err)
	}
	if err := batch.Set(tombstoneKey(id), tombstone, nil); err != nil {
		return fmt.Errorf("write tombstone of %s: %w", id, err)
	}
	s.stats.tombstones.Add(1)
	return nil
}

// PutTombstoneIn writes a tombstone as a snapshot carries it.
func (s *Store) PutTombstoneIn(batch *pebble.Batch, t Tombstone) error {
	value, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("encode tombstone of %s: %w", t.ID, err)
	}
	return batch.Set(tombstoneKey(t.ID), value, nil)
}

// EachIn calls fn for every customer reader holds, in id order, until fn returns an error.
func (s *Store) EachIn(reader pebble.Reader, fn func(*Customer) error) error {
	return eachValue(reader, customerPrefix, func(value []byte) error {
		var c Customer
		if err := json.Unmarshal(value, &c); err != nil {
			return fmt.Errorf("decode customer: %w", err)
		}
		return fn(&c)
	})
}

// TombstonesIn calls fn for every tombstone reader holds, until fn returns an error.
func (s *Store) TombstonesIn(reader pebble.Reader, fn func(Tombstone) error) error {
	return eachValue(reader, tombstonePrefix, func(value []byte) error {
		var t Tombstone
		if err := json.Unmarshal(value, &t); err != nil {
			return fmt.Errorf("decode tombstone: %w", err)
		}
		return fn(t)
	})
}

// CompactCustomer compacts the key range of a customer, so that a deleted record leaves
// the sstables. A failure is logged.
func (s *Store) CompactCustomer(id string) { s.compact(id) }

func hasKey(reader pebble.Reader, key []byte) (bool, error) {
	_, closer, err := reader.Get(key)
	if err == pebble.ErrNotFound {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read %s: %w", key, err)
	}
	closer.Close()
	return true, nil
}

func eachValue(reader pebble.Reader, prefix string, fn func([]byte) error) error {
	iter, err := reader.NewIter(prefixBounds(prefix))
	if err != nil {
		return fmt.Errorf("iterate %s: %w", prefix, err)
	}
	for iter.First(); iter.Valid(); iter.Next() {
		if err := fn(iter.Value()); err != nil {
			iter.Close()
			return err
		}
	}
	return iter.Close()
}
