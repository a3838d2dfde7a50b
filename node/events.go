package node

import (
	"fmt"
	"net/http"
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

// defaultMaxEventStreams is the number of event streams served at once when
// Config.MaxEventStreams is zero or less.
const defaultMaxEventStreams = 64

// eventStreamRetryAfter is the Retry-After, in seconds, of a stream rejected for being over
// the cap.
const eventStreamRetryAfter = "10"

// limitEventStreams serves the event stream through next only while fewer than
// maxStreams are open; a stream over the cap gets 503 with a Retry-After header. It sits
// behind the token check, so a request without a valid token still gets 401.
func (n *Node) limitEventStreams(next http.Handler, maxStreams int) http.Handler {
	slots := make(chan struct{}, maxStreams)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case slots <- struct{}{}:
		default:
			n.log.Warn("event stream rejected: the cap of open streams is reached",
				"cap", maxStreams, "remote", r.RemoteAddr)
			w.Header().Set("Retry-After", eventStreamRetryAfter)
			writeError(w, http.StatusServiceUnavailable, fmt.Sprintf(
				"too many event streams: the node serves at most %d at once; retry in %s s",
				maxStreams, eventStreamRetryAfter))
			return
		}
		defer func() { <-slots }()
		next.ServeHTTP(w, r)
	})
}
