package profile

import (
	"encoding/json"
	"fmt"
	"sync/atomic"
)

// Stats contains counts for metrics. Open counts the database, and then the Store
// updates the counts on its own writes, so cust/ or tomb/ keys written through DB are
// not counted.
type Stats struct {
	Customers   int64 `json:"customers"`
	Descriptors int64 `json:"descriptors"`
	Tombstones  int64 `json:"tombstones"`
}

type counters struct {
	customers, descriptors, tombstones atomic.Int64
}

// Stats returns the number of live customers, their descriptors and the tombstones.
func (s *Store) Stats() Stats {
	return Stats{
		Customers:   s.stats.customers.Load(),
		Descriptors: s.stats.descriptors.Load(),
		Tombstones:  s.stats.tombstones.Load(),
	}
}

// countAll sets the counters from a scan of the database.
func (s *Store) countAll() error {
	err := s.scanCustomers(func(id string, value []byte) (bool, error) {
		var record struct {
			Descriptors []json.RawMessage `json:"descriptors"`
		}
		if err := json.Unmarshal(value, &record); err != nil {
			return false, fmt.Errorf("decode customer %s: %w", id, err)
		}

		s.stats.customers.Add(1)
		s.stats.descriptors.Add(int64(len(record.Descriptors)))

		return true, nil
	})
	if err != nil {
		return fmt.Errorf("count customers: %w", err)
	}

	return s.countTombstones()
}

func (s *Store) countTombstones() (err error) {
	iter, err := s.db.NewIter(prefixBounds(tombstonePrefix))
	if err != nil {
		return fmt.Errorf("count tombstones: %w", err)
	}

	defer func() {
		if closeErr := iter.Close(); err == nil && closeErr != nil {
			err = fmt.Errorf("count tombstones: %w", closeErr)
		}
	}()

	for valid := iter.First(); valid; valid = iter.Next() {
		s.stats.tombstones.Add(1)
	}

	return iter.Error()
}
