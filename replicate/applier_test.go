package replicate

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/cockroachdb/pebble/v2"
)

// testApplier is a small profile store over Pebble, shaped like the node's: "put" stores the
// payload as the client's profile, "forget" deletes it and leaves a tombstone that rejects
// later writes for her. It also records the order of applied commands and how often each id
// reached Apply, so tests can check exactly-once application.
type testApplier struct {
	db *pebble.DB
	// calls counts Apply calls on this node, including rejected ones.
	calls atomic.Int64
	// restoreCommits counts the Flush calls in Restore that committed the batch: the batch
	// was empty afterwards and the record just written was in the database.
	restoreCommits atomic.Int64
}

var errForgotten = errors.New("client forgotten")

func stateKey(group, kind, name string) []byte {
	return []byte("state/" + group + "/" + kind + "/" + name)
}

func (a *testApplier) Apply(group string, batch *pebble.Batch, cmd Command) error {
	a.calls.Add(1)

	if a.has(stateKey(group, "tomb", cmd.CustomerID)) {
		return fmt.Errorf("write %s: %w", cmd.ID, errForgotten)
	}

	switch cmd.Op {
	case "put":
		batch.Set(stateKey(group, "profile", cmd.CustomerID), cmd.Payload, nil)
	case OpForget:
		batch.Delete(stateKey(group, "profile", cmd.CustomerID), nil)
		batch.Set(stateKey(group, "tomb", cmd.CustomerID), nil, nil)
	default:
		return fmt.Errorf("unknown op %q", cmd.Op)
	}

	count := a.readUint(stateKey(group, "applies", cmd.ID))
	batch.Set(stateKey(group, "applies", cmd.ID), binary.BigEndian.AppendUint64(nil, count+1), nil)

	n := a.readUint(stateKey(group, "n", ""))
	batch.Set(stateKey(group, "order", fmt.Sprintf("%012d", n)), []byte(cmd.ID), nil)
	batch.Set(stateKey(group, "n", ""), binary.BigEndian.AppendUint64(nil, n+1), nil)

	return nil
}

func (a *testApplier) has(key []byte) bool {
	_, closer, err := a.db.Get(key)
	if err != nil {
		return false
	}
	closer.Close()

	return true
}

func (a *testApplier) readUint(key []byte) uint64 {
	value, closer, err := a.db.Get(key)
	if err != nil {
		return 0
	}
	defer closer.Close()

	return binary.BigEndian.Uint64(value)
}

func (a *testApplier) WriteSnapshot(group string, snap *pebble.Snapshot, w io.Writer) error {
	prefix := []byte("state/" + group + "/")
	iter, err := snap.NewIter(&pebble.IterOptions{LowerBound: prefix,
		UpperBound: prefixEnd(prefix)})
	if err != nil {
		return err
	}
	defer iter.Close()

	for iter.First(); iter.Valid(); iter.Next() {
		writeChunk(w, iter.Key())
		writeChunk(w, iter.Value())
	}
	_, err = w.Write(binary.AppendUvarint(nil, 0))

	return err
}

func writeChunk(w io.Writer, b []byte) {
	w.Write(binary.AppendUvarint(nil, uint64(len(b))))
	w.Write(b)
}

func (a *testApplier) Restore(group string, batch *RestoreBatch, r io.Reader) error {
	prefix := []byte("state/" + group + "/")
	batch.Batch().DeleteRange(prefix, prefixEnd(prefix), nil)

	br := bufio.NewReader(r)
	for {
		key, err := readSnapshotField(br)
		if err != nil {
			return err
		}
		if len(key) == 0 {
			return nil
		}
		value, err := readSnapshotField(br)
		if err != nil {
			return err
		}
		batch.Batch().Set(key, value, nil)
		if err := batch.Flush(); err != nil {
			return err
		}
		if batch.Batch().Empty() && a.has(key) {
			a.restoreCommits.Add(1)
		}
	}
}

// appliedOrder returns the ids applied on this node, in order.
func (a *testApplier) appliedOrder(group string) []string {
	prefix := stateKey(group, "order", "")
	iter, _ := a.db.NewIter(&pebble.IterOptions{LowerBound: prefix,
		UpperBound: prefixEnd(prefix)})
	defer iter.Close()

	var ids []string
	for iter.First(); iter.Valid(); iter.Next() {
		ids = append(ids, string(iter.Value()))
	}

	return ids
}

// applies returns how many times id was applied to this node's state.
func (a *testApplier) applies(group, id string) uint64 {
	return a.readUint(stateKey(group, "applies", id))
}

// profile returns the stored payload of a client, or nil.
func (a *testApplier) profile(group, customerID string) []byte {
	value, closer, err := a.db.Get(stateKey(group, "profile", customerID))
	if err != nil {
		return nil
	}
	defer closer.Close()

	return append([]byte(nil), value...)
}
