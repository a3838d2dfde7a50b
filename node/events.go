package node

import (
	"sync"
)

// Hub fans arrival events out to the staff pages connected to /v1/events. A slow subscriber
// loses events rather than slowing the camera: each has a small buffer, and an event that
// does not fit is dropped for that subscriber and counted.
type Hub struct {
	mu      sync.Mutex
	subs    map[chan Arrival]struct{}
	dropped uint64
}

// NewHub returns a hub with no subscribers.
func NewHub() *Hub {
	return &Hub{subs: make(map[chan Arrival]struct{})}
}

// Subscribe returns a channel of arrivals and a function that ends the subscription.
func (h *Hub) Subscribe() (<-chan Arrival, func()) {
	ch := make(chan Arrival, 32)
	h.mu.Lock()
	h.subs[ch] = struct{}{}
	h.mu.Unlock()

	cancel := func() {
		h.mu.Lock()
		if _, ok := h.subs[ch]; ok {
			delete(h.subs, ch)
			close(ch)
		}
		h.mu.Unlock()
	}
	return ch, cancel
}

// Publish sends a to every subscriber that has room for it.
func (h *Hub) Publish(a Arrival) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- a:
		default:
			h.dropped++
		}
	}
}

// Subscribers returns the number of connected subscribers.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}
