package profile

import (
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync"
	"time"

	"github.com/cockroachdb/pebble/v2"
)

// Key prefixes owned by this package.
const (
	customerPrefix  = "cust/"
	tombstonePrefix = "tomb/"
)

// lockStripes is the number of mutexes that serialize writes, chosen by a hash of the
// customer id, so that writes to different customers rarely wait for each other.
const lockStripes = 64

// Store is the client profile store, one Pebble database in a directory. It is safe for
// concurrent use: writes to one customer are serialized, and every write is synced.
type Store struct {
	db    *pebble.DB
	dir   string
	log   *slog.Logger
	now   func() time.Time
	locks [lockStripes]sync.Mutex
	stats counters
}

// Option configures Open.
type Option func(*Store)

// WithLogger sets the logger of the store and of its Pebble database. The default is
// slog.Default().
func WithLogger(log *slog.Logger) Option {
	return func(s *Store) { s.log = log }
}

// WithClock sets the clock used for timestamps that callers leave zero. The default is
// time.Now.
func WithClock(now func() time.Time) Option {
	return func(s *Store) { s.now = now }
}

// Open opens or creates the Pebble database in dir and counts its customers,
// descriptors and tombstones for Stats.
func Open(dir string, opts ...Option) (*Store, error) {
	s := &Store{log: slog.Default(), now: time.Now, dir: dir}
	for _, opt := range opts {
		opt(s)
	}

	s.log = s.log.With("component", "profile")
	pebbleOpts := &pebble.Options{
		Logger: pebbleLogger{log: s.log.With("component", "pebble")},
		// DeleteCleaner removes obsolete sstables instead of archiving them, which
		// Forget relies on.
		Cleaner: pebble.DeleteCleaner{},
	}

	db, err := pebble.Open(dir, pebbleOpts)
	if err != nil {
		return nil, fmt.Errorf("open profile store %s: %w", dir, err)
	}

	s.db = db
	if err := s.countAll(); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open profile store %s: %w", dir, err)
	}

	st := s.Stats()
	s.log.Info("profile store opened", "customers", st.Customers,
		"descriptors", st.Descriptors, "tombstones", st.Tombstones)

	return s, nil
}

// Close closes the database. The Store must not be used afterwards.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close profile store: %w", err)
	}

	return nil
}

// DB returns the underlying database so that other packages can store their own data
// in it under their own key prefixes (auth/, audit/). They must not write cust/ or
// tomb/ keys.
func (s *Store) DB() *pebble.DB {
	return s.db
}

// lock locks the stripe of id and returns its unlock function.
func (s *Store) lock(id string) func() {
	h := fnv.New32a()
	_, _ = h.Write([]byte(id))
	mu := &s.locks[h.Sum32()%lockStripes]
	mu.Lock()

	return mu.Unlock
}

func (s *Store) timestamp() time.Time {
	return s.now().UTC()
}

func customerKey(id string) []byte {
	return []byte(customerPrefix + id)
}

func tombstoneKey(id string) []byte {
	return []byte(tombstonePrefix + id)
}

// getValue returns a copy of the value of key, or nil and false when key is absent.
func (s *Store) getValue(key []byte) ([]byte, bool, error) {
	value, closer, err := s.db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, false, nil
	}

	if err != nil {
		return nil, false, err
	}

	out := append([]byte(nil), value...)
	if err := closer.Close(); err != nil {
		return nil, false, err
	}

	return out, true, nil
}

// prefixBounds returns iterator bounds that cover every key starting with prefix.
func prefixBounds(prefix string) *pebble.IterOptions {
	upper := []byte(prefix)
	upper[len(upper)-1]++

	return &pebble.IterOptions{LowerBound: []byte(prefix), UpperBound: upper}
}
