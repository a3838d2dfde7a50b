package profile

import "fmt"

// AddDescriptor appends d to the customer's descriptors, setting d.AddedAt when zero. It
// returns an error wrapping ErrNoConsent when the customer has no recorded consent.
func (s *Store) AddDescriptor(id string, d Descriptor) error {
	if d.AddedAt.IsZero() {
		d.AddedAt = s.timestamp()
	}

	_, err := s.Update(id, func(c *Customer) error {
		c.Descriptors = append(c.Descriptors, d)
		return nil
	})
	if err != nil {
		return fmt.Errorf("add descriptor: %w", err)
	}

	s.log.Info("descriptor added", "customer_id", id, "engine", d.Engine, "origin", d.Origin)

	return nil
}

// RecordVisit appends v to the customer's visits, setting v.At when zero.
func (s *Store) RecordVisit(id string, v Visit) error {
	if v.At.IsZero() {
		v.At = s.timestamp()
	}

	return s.appendRecord("record visit", id, func(c *Customer) {
		c.Visits = append(c.Visits, v)
	})
}

// RecordPurchase appends p to the customer's purchases, setting p.At when zero.
func (s *Store) RecordPurchase(id string, p Purchase) error {
	if p.At.IsZero() {
		p.At = s.timestamp()
	}

	return s.appendRecord("record purchase", id, func(c *Customer) {
		c.Purchases = append(c.Purchases, p)
	})
}

// RecordInquiry appends q to the customer's inquiries, setting q.At when zero.
func (s *Store) RecordInquiry(id string, q Inquiry) error {
	if q.At.IsZero() {
		q.At = s.timestamp()
	}

	return s.appendRecord("record inquiry", id, func(c *Customer) {
		c.Inquiries = append(c.Inquiries, q)
	})
}

// SetPreferences replaces the customer's preferences with p.
func (s *Store) SetPreferences(id string, p Preferences) error {
	return s.appendRecord("set preferences", id, func(c *Customer) {
		c.Preferences = p
	})
}

// AddNote appends n to the customer's notes, setting n.At when zero.
func (s *Store) AddNote(id string, n Note) error {
	if n.At.IsZero() {
		n.At = s.timestamp()
	}

	return s.appendRecord("add note", id, func(c *Customer) {
		c.Notes = append(c.Notes, n)
	})
}

// appendRecord applies change to the customer in an Update and wraps any error with
// the operation name.
func (s *Store) appendRecord(operation, id string, change func(*Customer)) error {
	_, err := s.Update(id, func(c *Customer) error {
		change(c)
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", operation, err)
	}

	return nil
}
