package profile

import (
	"log/slog"
	"strings"
	"testing"
	"time"
)

// testNow is the fixed time of the test clock.
var testNow = time.Date(2025, 3, 14, 10, 30, 0, 123456789, time.UTC)

func quietLogger() *slog.Logger {
	return slog.New(slog.DiscardHandler)
}

// openStore opens a store in dir with a fixed clock, without registering a cleanup.
func openStore(t *testing.T, dir string) *Store {
	t.Helper()

	s, err := Open(dir, WithLogger(quietLogger()), WithClock(func() time.Time { return testNow }))
	if err != nil {
		t.Fatalf("open store in %s: %v", dir, err)
	}

	return s
}

// mustOpen opens a store in a new temporary directory and closes it when the test ends.
func mustOpen(t *testing.T) (*Store, string) {
	t.Helper()

	dir := t.TempDir()
	s := openStore(t, dir)
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})

	return s, dir
}

func mustCreate(t *testing.T, s *Store, c *Customer) {
	t.Helper()

	if err := s.Create(c); err != nil {
		t.Fatalf("create customer %q: %v", c.Name, err)
	}
}

func mustGet(t *testing.T, s *Store, id string) *Customer {
	t.Helper()

	c, err := s.Get(id)
	if err != nil {
		t.Fatalf("get customer %s: %v", id, err)
	}

	return c
}

// vector returns a descriptor vector of n components derived from seed.
func vector(n int, seed float32) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = seed + float32(i)/float32(n)
	}

	return v
}

func consent(scope Scope) Consent {
	return Consent{
		Scope:       scope,
		GivenAt:     time.Date(2025, 1, 2, 15, 4, 5, 0, time.UTC),
		TextVersion: "2025-01",
		TakenBy:     "Linh",
	}
}

func descriptor(engine string, n int, seed float32) Descriptor {
	return Descriptor{
		Engine:        engine,
		EngineVersion: "1",
		Vector:        vector(n, seed),
		AddedAt:       time.Date(2025, 1, 2, 15, 5, 0, 0, time.UTC),
		Origin:        OriginEnrollment,
	}
}

// newCustomer returns a consented customer with one dlib descriptor and no id.
func newCustomer(name, address string) *Customer {
	return &Customer{
		Name:        name,
		Address:     address,
		Language:    "ja",
		Consent:     consent(ScopeBrand),
		Descriptors: []Descriptor{descriptor("dlib", 128, 0.1)},
	}
}

func longString(r rune, n int) string {
	return strings.Repeat(string(r), n)
}
