package mesh

import "sync"

// eventQueue delivers events to a callback in order on its own goroutine. The queue has
// no bound, so memberlist never waits for a slow callback, but a callback that never
// returns makes it grow without limit.
type eventQueue struct {
	callback func(Event)
	mu       sync.Mutex
	pending  []Event
	wake     chan struct{} // capacity 1: a pending signal
	done     chan struct{}
	once     sync.Once
}

func newEventQueue(callback func(Event)) *eventQueue {
	q := &eventQueue{
		callback: callback,
		wake:     make(chan struct{}, 1),
		done:     make(chan struct{}),
	}
	if callback != nil {
		go q.run()
	}
	return q
}

func (q *eventQueue) push(event Event) {
	if q.callback == nil {
		return
	}

	q.mu.Lock()
	q.pending = append(q.pending, event)
	q.mu.Unlock()

	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// stop ends delivery. Events still queued are dropped.
func (q *eventQueue) stop() {
	q.once.Do(func() { close(q.done) })
}

func (q *eventQueue) run() {
	for {
		select {
		case <-q.done:
			return
		case <-q.wake:
		}

		q.mu.Lock()
		batch := q.pending
		q.pending = nil
		q.mu.Unlock()

		for _, event := range batch {
			select {
			case <-q.done:
				return
			default:
			}
			q.callback(event)
		}
	}
}
