package profile

import (
	"encoding/json"
	"fmt"

	"github.com/cockroachdb/pebble/v2"
)

// Create validates c and stores it as a new customer. When c.ID is empty, Create sets
// it to NewID(), and it sets c.CreatedAt (when zero) and c.UpdatedAt. It returns an
// error wrapping ErrNoConsent when c has descriptors without consent, ErrForgotten when
// the id has a tombstone, ErrExists when the id is taken, or ErrInvalid.
func (s *Store) Create(c *Customer) error {
	if c.ID == "" {
		c.ID = NewID()
	}

	now := s.timestamp()
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now
	}

	c.UpdatedAt = now
	if err := Validate(c); err != nil {
		return fmt.Errorf("create customer: %w", err)
	}

	unlock := s.lock(c.ID)
	defer unlock()

	if err := s.checkNew(c.ID); err != nil {
		return fmt.Errorf("create customer: %w", err)
	}

	if err := s.put(c); err != nil {
		return fmt.Errorf("create customer %s: %w", c.ID, err)
	}

	s.stats.customers.Add(1)
	s.stats.descriptors.Add(int64(len(c.Descriptors)))
	s.log.Info("customer created", "customer_id", c.ID, "descriptors", len(c.Descriptors))

	return nil
}

// checkNew returns ErrForgotten or ErrExists when id cannot be used for a new customer.
// The caller holds the lock of id.
func (s *Store) checkNew(id string) error {
	_, forgotten, err := s.getValue(tombstoneKey(id))
	if err != nil {
		return fmt.Errorf("read tombstone of %s: %w", id, err)
	}

	if forgotten {
		return fmt.Errorf("%w: %s", ErrForgotten, id)
	}

	_, exists, err := s.getValue(customerKey(id))
	if err != nil {
		return fmt.Errorf("read customer %s: %w", id, err)
	}

	if exists {
		return fmt.Errorf("%w: %s", ErrExists, id)
	}

	return nil
}

// Get returns the customer with the given id, or an error wrapping ErrNotFound or
// ErrForgotten.
func (s *Store) Get(id string) (*Customer, error) {
	c, err := s.load(id)
	if err != nil {
		return nil, fmt.Errorf("get customer: %w", err)
	}

	return c, nil
}

func (s *Store) load(id string) (*Customer, error) {
	value, found, err := s.getValue(customerKey(id))
	if err != nil {
		return nil, fmt.Errorf("read customer %s: %w", id, err)
	}

	if !found {
		return nil, s.missing(id)
	}

	var c Customer
	if err := json.Unmarshal(value, &c); err != nil {
		return nil, fmt.Errorf("decode customer %s: %w", id, err)
	}

	return &c, nil
}

// missing returns the error for an id without a record: ErrForgotten when it has a
// tombstone and ErrNotFound otherwise.
func (s *Store) missing(id string) error {
	_, forgotten, err := s.getValue(tombstoneKey(id))
	if err != nil {
		return fmt.Errorf("read tombstone of %s: %w", id, err)
	}

	if forgotten {
		return fmt.Errorf("%w: %s", ErrForgotten, id)
	}

	return fmt.Errorf("%w: %s", ErrNotFound, id)
}

// Update reads the customer, calls fn on it and writes the result, holding the lock of
// id so that concurrent updates of one customer lose no write. fn must not change the
// id or the creation time. The result is validated like in Create, so an update that
// leaves descriptors without consent fails with ErrNoConsent.
func (s *Store) Update(id string, fn func(*Customer) error) (*Customer, error) {
	unlock := s.lock(id)
	defer unlock()

	c, err := s.load(id)
	if err != nil {
		return nil, fmt.Errorf("update customer: %w", err)
	}

	createdAt, descriptorsBefore := c.CreatedAt, len(c.Descriptors)
	if err := fn(c); err != nil {
		return nil, fmt.Errorf("update customer %s: %w", id, err)
	}

	if c.ID != id || !c.CreatedAt.Equal(createdAt) {
		return nil, fmt.Errorf("update customer %s: %w: id and created_at cannot change",
			id, ErrInvalid)
	}

	c.UpdatedAt = s.timestamp()
	if err := Validate(c); err != nil {
		return nil, fmt.Errorf("update customer %s: %w", id, err)
	}

	if err := s.put(c); err != nil {
		return nil, fmt.Errorf("update customer %s: %w", id, err)
	}

	s.stats.descriptors.Add(int64(len(c.Descriptors) - descriptorsBefore))

	return c, nil
}

// put writes c with a synced write. The caller holds the lock of c.ID.
func (s *Store) put(c *Customer) error {
	value, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}

	if err := s.db.Set(customerKey(c.ID), value, pebble.Sync); err != nil {
		return fmt.Errorf("write: %w", err)
	}

	return nil
}
