package replicate

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/cockroachdb/pebble/v2"
)

// outbox is the durable queue of a node's commands that could not reach the leader, kept in
// Pebble under outbox/<group>/<seq> so it survives restarts. Entries leave it in seq order.
type outbox struct {
	db     *pebble.DB
	prefix []byte

	mu      sync.Mutex // serializes push, so seq order is submission order
	nextSeq uint64
	count   atomic.Int64

	wakeCh chan struct{}
}

func openOutbox(db *pebble.DB, group string) (*outbox, error) {
	o := &outbox{db: db, prefix: outboxPrefix(group), nextSeq: 1, wakeCh: make(chan struct{}, 1)}

	err := o.scan(func(seq uint64, _ Command) error {
		o.nextSeq = seq + 1
		o.count.Add(1)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("open outbox of %s: %w", group, err)
	}

	return o, nil
}

func (o *outbox) len() int {
	return int(o.count.Load())
}

// push appends cmd with a synced write and wakes the delivery loop if it was idle.
func (o *outbox) push(cmd Command) error {
	data, err := encodeCommand(cmd)
	if err != nil {
		return err
	}

	o.mu.Lock()
	defer o.mu.Unlock()

	if err := o.db.Set(appendUint64(o.prefix, o.nextSeq), data, pebble.Sync); err != nil {
		return fmt.Errorf("store outbox entry %d: %w", o.nextSeq, err)
	}
	o.nextSeq++

	if o.count.Add(1) == 1 {
		o.wake()
	}

	return nil
}

// front returns the oldest entry; ok is false when the outbox is empty.
func (o *outbox) front() (seq uint64, cmd Command, ok bool, err error) {
	errStop := errors.New("stop")
	err = o.scan(func(s uint64, c Command) error {
		seq, cmd, ok = s, c, true
		return errStop
	})
	if errors.Is(err, errStop) {
		err = nil
	}

	return seq, cmd, ok, err
}

// remove deletes the entry seq with a synced write.
func (o *outbox) remove(seq uint64) error {
	if err := o.db.Delete(appendUint64(o.prefix, seq), pebble.Sync); err != nil {
		return fmt.Errorf("delete outbox entry %d: %w", seq, err)
	}
	o.count.Add(-1)

	return nil
}

// list returns every waiting command, oldest first.
func (o *outbox) list() ([]Command, error) {
	var cmds []Command
	err := o.scan(func(_ uint64, c Command) error {
		cmds = append(cmds, c)
		return nil
	})

	return cmds, err
}

// scan calls fn for each entry in seq order until fn returns an error.
func (o *outbox) scan(fn func(seq uint64, cmd Command) error) error {
	iter, err := o.db.NewIter(&pebble.IterOptions{
		LowerBound: o.prefix,
		UpperBound: prefixEnd(o.prefix),
	})
	if err != nil {
		return fmt.Errorf("open outbox iterator: %w", err)
	}
	defer iter.Close()

	for iter.First(); iter.Valid(); iter.Next() {
		seq := binary.BigEndian.Uint64(iter.Key()[len(o.prefix):])
		cmd, err := decodeCommand(iter.Value())
		if err != nil {
			return fmt.Errorf("outbox entry %d: %w", seq, err)
		}
		if err := fn(seq, cmd); err != nil {
			return err
		}
	}

	return iter.Error()
}

// wake makes the delivery loop try again now instead of after its backoff.
func (o *outbox) wake() {
	select {
	case o.wakeCh <- struct{}{}:
	default:
	}
}
