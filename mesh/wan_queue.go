package mesh

import (
	"bytes"
	"net"
	"sync"
	"time"
)

// maxQueuedBytes bounds the bytes that one delayed connection holds, after which Write
// blocks until deliveries free room. Like a TCP window, it caps throughput at about
// maxQueuedBytes per one-way delay: 4 MiB per 80 ms is 50 MiB/s.
const maxQueuedBytes = 4 << 20

// delivery is one queued write, or an action (CloseWrite, Close) that must follow the
// writes queued before it.
type delivery struct {
	due  time.Time
	data []byte
	then func() error // runs in place of a write when set
	last bool         // then closes the connection, which ends the queue
}

// delayQueue is the send side of one connection under a WAN: Write queues the bytes with
// a due time and returns, and one goroutine delivers them in order when they are due.
type delayQueue struct {
	wan   *WAN
	dest  wanDest
	send  func([]byte) (int, error) // Write of the wrapped connection
	reset func() error              // closes the wrapped connection at once

	mu      sync.Mutex
	changed *sync.Cond // broadcast when items change or the queue stops
	items   []delivery
	queued  int // bytes in items
	lastDue time.Time
	closing bool          // Close was called, so Write fails
	err     error         // reason the queue stopped, nil while it runs
	stopped chan struct{} // closed when the queue stops
}

// newDelayQueue starts the delivery goroutine of a connection to dest. It runs until the
// queued Close is delivered, a delivery fails, or the connection is reset or partitioned.
func newDelayQueue(wan *WAN, dest wanDest, send func([]byte) (int, error),
	reset func() error) *delayQueue {
	q := &delayQueue{
		wan:     wan,
		dest:    dest,
		send:    send,
		reset:   reset,
		stopped: make(chan struct{}),
	}
	q.changed = sync.NewCond(&q.mu)
	wan.track(q)
	go q.run()
	return q
}

// write queues a copy of p for delivery after the delay to the destination's region and
// returns without waiting for it. It blocks only while maxQueuedBytes are waiting. It
// fails at once, and closes the connection, when the regions are partitioned.
func (q *delayQueue) write(p []byte) (int, error) {
	region := q.wan.region(q.dest)
	if q.wan.Partitioned(region) {
		q.partition()
		return 0, ErrPartitioned
	}
	delay := q.wan.Delay(region)

	q.mu.Lock()
	defer q.mu.Unlock()
	for q.err == nil && !q.closing && q.queued > 0 && q.queued+len(p) > maxQueuedBytes {
		q.changed.Wait()
	}
	if q.err != nil {
		return 0, q.err
	}
	if q.closing {
		return 0, net.ErrClosed
	}

	q.push(delivery{data: bytes.Clone(p)}, delay)
	return len(p), nil
}

// then queues fn to run after every write queued so far has been delivered, with its own
// delay, as a FIN follows the data. When the queue has already stopped, a last fn runs
// at once and any other returns the reason the queue stopped.
func (q *delayQueue) then(fn func() error, last bool) error {
	delay := q.wan.Delay(q.wan.region(q.dest))

	q.mu.Lock()
	if q.err != nil {
		err := q.err
		q.mu.Unlock()
		if last {
			return fn()
		}
		return err
	}
	if q.closing {
		q.mu.Unlock()
		return nil
	}

	q.push(delivery{then: fn, last: last}, delay)
	q.closing = last
	q.mu.Unlock()
	return nil
}

// push appends an item due after delay, and never before the item ahead of it, so that
// jitter cannot reorder a stream. The caller holds q.mu.
func (q *delayQueue) push(item delivery, delay time.Duration) {
	item.due = time.Now().Add(delay)
	if item.due.Before(q.lastDue) {
		item.due = q.lastDue
	}
	q.lastDue = item.due
	q.items = append(q.items, item)
	q.queued += len(item.data)
	q.changed.Broadcast()
}

// stop discards what is queued and ends the goroutine. The first reason stays.
func (q *delayQueue) stop(reason error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.stopLocked(reason)
}

func (q *delayQueue) stopLocked(reason error) {
	if q.err != nil {
		return
	}
	q.err = reason
	q.items = nil
	q.queued = 0
	close(q.stopped)
	q.changed.Broadcast()
}

// partition stops the queue and closes the connection because a partition cut it off.
func (q *delayQueue) partition() {
	q.stop(ErrPartitioned)
	q.reset()
}

// run delivers the queued items in order, each when it is due.
func (q *delayQueue) run() {
	defer q.wan.untrack(q)
	for {
		item, ok := q.next()
		if !ok {
			return
		}
		if !q.sleepUntil(item.due) {
			return
		}

		var err error
		if item.then != nil {
			err = item.then()
		} else {
			_, err = q.send(item.data)
		}
		if !q.pop(item, err) {
			return
		}
	}
}

// next waits for the first queued item and returns it, or false once the queue stops.
func (q *delayQueue) next() (delivery, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.err == nil && len(q.items) == 0 {
		q.changed.Wait()
	}
	if q.err != nil {
		return delivery{}, false
	}
	return q.items[0], true
}

// sleepUntil waits until due, or returns false as soon as the queue stops.
func (q *delayQueue) sleepUntil(due time.Time) bool {
	wait := time.Until(due)
	if wait <= 0 {
		return true
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-q.stopped:
		return false
	}
}

// pop removes the delivered item and reports whether the goroutine goes on. A failed
// delivery stops the queue with its error, so the next Write returns that error.
func (q *delayQueue) pop(item delivery, err error) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.err != nil {
		return false
	}

	q.items[0] = delivery{}
	q.items = q.items[1:]
	q.queued -= len(item.data)
	q.changed.Broadcast()

	if err != nil {
		q.stopLocked(err)
		return false
	}
	if item.last {
		q.stopLocked(net.ErrClosed)
		return false
	}
	return true
}
