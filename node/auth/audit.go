package auth

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sync/atomic"
	"time"

	"github.com/cockroachdb/pebble/v2"
)

// auditPrefix starts every audit key. The rest of the key is the entry time in Unix
// nanoseconds and a sequence number, both 8 bytes big-endian, so keys sort by time and
// entries of the same nanosecond keep the order of Record calls.
const auditPrefix = "audit/"

// auditSequence numbers the entries of this process. It is shared by every Audit, so two
// Audits on one database cannot write the same key.
var auditSequence atomic.Uint64

// maxAuditTime is the latest time whose Unix nanoseconds fit in an int64 (in 2262).
var maxAuditTime = time.Unix(0, math.MaxInt64)

// Entry is one audited action of a staff member. Detail must not hold a client's
// personal data, because the audit log outlives forgotten profiles.
type Entry struct {
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	TokenID    string    `json:"token_id"`
	Action     string    `json:"action"`
	CustomerID string    `json:"customer_id,omitempty"`
	Detail     string    `json:"detail,omitempty"`
}

// Audit is the audit log, stored in a Pebble database under audit/. It is safe for
// concurrent use.
//
// NOTE: entries are never pruned, so the log grows by one key per audited request.
type Audit struct {
	db *pebble.DB
}

// NewAudit returns the audit log kept in db.
func NewAudit(db *pebble.DB) *Audit {
	return &Audit{db: db}
}

// Record stores e with a synced write, setting e.At to the current time when it is zero.
// It returns an error wrapping ErrInvalid when Actor or Action is empty or At is outside
// the years 1970 to 2262, which the key cannot represent.
func (a *Audit) Record(e Entry) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}

	e.At = e.At.UTC()
	if err := validateEntry(e); err != nil {
		return fmt.Errorf("record audit entry: %w", err)
	}

	value, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("record audit entry: encode: %w", err)
	}

	key := auditKey(e.At, auditSequence.Add(1))
	if err := a.db.Set(key, value, pebble.Sync); err != nil {
		return fmt.Errorf("record audit entry %s of %s: %w", e.Action, e.CustomerID, err)
	}

	return nil
}

// List returns up to limit entries at or after since, oldest first, only those about
// customerID unless it is empty. A limit <= 0 means no limit.
//
// NOTE: List reads every entry from since onwards even when it filters by customer,
// because the keys are ordered by time only.
func (a *Audit) List(customerID string, since time.Time, limit int) (out []Entry, err error) {
	if since.After(maxAuditTime) {
		return nil, nil
	}

	lower := []byte(auditPrefix)
	if since.After(time.Unix(0, 0)) {
		lower = auditKey(since, 0)
	}

	upper := []byte(auditPrefix)
	upper[len(upper)-1]++

	iter, err := a.db.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: upper})
	if err != nil {
		return nil, fmt.Errorf("list audit entries: %w", err)
	}

	defer func() {
		err = errors.Join(err, iter.Close())
	}()

	for valid := iter.First(); valid && (limit <= 0 || len(out) < limit); valid = iter.Next() {
		e, err := decodeEntry(iter)
		if err != nil {
			return nil, fmt.Errorf("list audit entries: %w", err)
		}

		if customerID == "" || e.CustomerID == customerID {
			out = append(out, e)
		}
	}

	return out, iter.Error()
}

func decodeEntry(iter *pebble.Iterator) (Entry, error) {
	value, err := iter.ValueAndErr()
	if err != nil {
		return Entry{}, fmt.Errorf("read %x: %w", iter.Key(), err)
	}

	var e Entry
	if err := json.Unmarshal(value, &e); err != nil {
		return Entry{}, fmt.Errorf("decode %x: %w", iter.Key(), err)
	}

	return e, nil
}

func auditKey(at time.Time, sequence uint64) []byte {
	key := make([]byte, 0, len(auditPrefix)+16)
	key = append(key, auditPrefix...)
	key = binary.BigEndian.AppendUint64(key, uint64(at.UnixNano()))

	return binary.BigEndian.AppendUint64(key, sequence)
}

func validateEntry(e Entry) error {
	if e.Actor == "" || e.Action == "" {
		return fmt.Errorf("%w: actor and action are required", ErrInvalid)
	}

	if e.At.Before(time.Unix(0, 0)) || e.At.After(maxAuditTime) {
		return fmt.Errorf("%w: time %v is outside the years 1970 to 2262", ErrInvalid, e.At)
	}

	return nil
}
