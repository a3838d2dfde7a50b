package profile

import (
	"encoding/json"
	"fmt"
	"strings"
)

// List returns the customers whose name or address contains query, compared after
// strings.ToLower, in id order. An empty query matches everyone, and limit <= 0 means
// no limit.
func (s *Store) List(query string, limit int) ([]Summary, error) {
	needle := strings.ToLower(query)
	out := []Summary{}

	err := s.scanCustomers(func(id string, value []byte) (bool, error) {
		var record struct {
			Name    string  `json:"name"`
			Address string  `json:"address"`
			Consent Consent `json:"consent"`
		}
		if err := json.Unmarshal(value, &record); err != nil {
			return false, fmt.Errorf("decode customer %s: %w", id, err)
		}

		match := strings.Contains(strings.ToLower(record.Name), needle) ||
			strings.Contains(strings.ToLower(record.Address), needle)
		if match {
			out = append(out, Summary{
				ID: id, Name: record.Name, Address: record.Address, Scope: record.Consent.Scope,
			})
		}

		return limit <= 0 || len(out) < limit, nil
	})
	if err != nil {
		return nil, fmt.Errorf("list customers: %w", err)
	}

	return out, nil
}

// Each calls fn with every live customer in id order, reading from one point-in-time
// view of the database, and stops at the first error, which it returns.
func (s *Store) Each(fn func(*Customer) error) error {
	err := s.scanCustomers(func(id string, value []byte) (bool, error) {
		var c Customer
		if err := json.Unmarshal(value, &c); err != nil {
			return false, fmt.Errorf("decode customer %s: %w", id, err)
		}

		if err := fn(&c); err != nil {
			return false, err
		}

		return true, nil
	})
	if err != nil {
		return fmt.Errorf("each customer: %w", err)
	}

	return nil
}

// scanCustomers calls visit with the id and the encoded record of every customer until
// visit returns false or an error.
func (s *Store) scanCustomers(visit func(id string, value []byte) (bool, error)) (err error) {
	iter, err := s.db.NewIter(prefixBounds(customerPrefix))
	if err != nil {
		return fmt.Errorf("open iterator: %w", err)
	}

	defer func() {
		if closeErr := iter.Close(); err == nil && closeErr != nil {
			err = fmt.Errorf("close iterator: %w", closeErr)
		}
	}()

	for valid := iter.First(); valid; valid = iter.Next() {
		id := strings.TrimPrefix(string(iter.Key()), customerPrefix)
		value, err := iter.ValueAndErr()
		if err != nil {
			return fmt.Errorf("read customer %s: %w", id, err)
		}

		more, err := visit(id, value)
		if err != nil || !more {
			return err
		}
	}

	return iter.Error()
}
