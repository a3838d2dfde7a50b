package profile

import (
	"fmt"
	"testing"
)

// openBench opens a store in a temporary directory with one consented customer.
func openBench(b *testing.B) (*Store, string) {
	b.Helper()

	s, err := Open(b.TempDir(), WithLogger(quietLogger()))
	if err != nil {
		b.Fatalf("open: %v", err)
	}

	b.Cleanup(func() { _ = s.Close() })
	c := newCustomer("Tanaka Yuki", "Ms Tanaka")
	if err := s.Create(c); err != nil {
		b.Fatalf("create: %v", err)
	}

	return s, c.ID
}

func BenchmarkStore_Get(b *testing.B) {
	s, id := openBench(b)

	for b.Loop() {
		if _, err := s.Get(id); err != nil {
			b.Fatalf("get: %v", err)
		}
	}
}

// BenchmarkStore_RecordVisit measures one synced read-modify-write of a customer with
// a 128-d descriptor; the record grows by one visit per iteration.
func BenchmarkStore_RecordVisit(b *testing.B) {
	s, id := openBench(b)

	for b.Loop() {
		if err := s.RecordVisit(id, Visit{Store: "paris", Decision: "match"}); err != nil {
			b.Fatalf("record visit: %v", err)
		}
	}
}

// BenchmarkStore_CreateForget measures a synced create followed by a forget, whose
// compaction of her key range dominates.
func BenchmarkStore_CreateForget(b *testing.B) {
	s, _ := openBench(b)
	i := 0

	for b.Loop() {
		c := newCustomer("Tanaka Yuki", "Ms Tanaka")
		c.ID = fmt.Sprintf("bench-%d", i)
		i++
		if err := s.Create(c); err != nil {
			b.Fatalf("create: %v", err)
		}

		if err := s.Forget(c.ID, "bench"); err != nil {
			b.Fatalf("forget: %v", err)
		}
	}
}

// BenchmarkStore_SetPreferences measures one synced read-modify-write of a customer
// whose record keeps its size: one 128-d descriptor and fixed preferences.
func BenchmarkStore_SetPreferences(b *testing.B) {
	s, id := openBench(b)
	prefs := Preferences{Sizes: []string{"S"}, Colors: []string{"navy"}}

	for b.Loop() {
		if err := s.SetPreferences(id, prefs); err != nil {
			b.Fatalf("set preferences: %v", err)
		}
	}
}
