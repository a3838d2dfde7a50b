package track

import (
	"sync"
	"time"
)

// Quiet suppresses repeated alerts for the same client within a period. It is safe for
// concurrent use. After each Allow, it holds no alert older than two periods.
type Quiet struct {
	period time.Duration

	mu        sync.Mutex
	lastAlert map[string]time.Time // client ID to the time of its last allowed alert
	lastPrune time.Time
}

// NewQuiet returns a Quiet that allows one alert per client per period.
func NewQuiet(period time.Duration) *Quiet {
	return &Quiet{period: period, lastAlert: make(map[string]time.Time)}
}

// Allow reports whether the client may be alerted at now, and if so records the alert.
// It returns false when the client's last allowed alert was less than period before now;
// a refused alert does not extend the quiet period.
func (q *Quiet) Allow(clientID string, now time.Time) bool {
	q.mu.Lock()
	defer q.mu.Unlock()

	q.prune(now)

	if last, ok := q.lastAlert[clientID]; ok && now.Sub(last) < q.period {
		return false
	}
	q.lastAlert[clientID] = now

	return true
}

// prune deletes the alerts older than the period. It sweeps the map at most once per
// period, so after each Allow the map holds no alert older than two periods.
func (q *Quiet) prune(now time.Time) {
	if now.Sub(q.lastPrune) < q.period {
		return
	}

	for clientID, last := range q.lastAlert {
		if now.Sub(last) >= q.period {
			delete(q.lastAlert, clientID)
		}
	}
	q.lastPrune = now
}

// Len returns the number of clients remembered, for metrics and tests.
func (q *Quiet) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()

	return len(q.lastAlert)
}
