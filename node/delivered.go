package node

import (
	"sync"
	"time"

	"github.com/omotenashi/omotenashi/replicate"
)

// maxRejectedWrites is how many rejected queued writes the node remembers for staff.
const maxRejectedWrites = 100

// RejectedWrite is a write that waited in the outbox, was answered 202, and was then
// rejected by its group, for example as older than the replay horizon after a long
// separation. Staff see it in GET /v1/pending and must record it again if it still holds.
type RejectedWrite struct {
	PendingWrite
	Reason     string    `json:"reason"`
	RejectedAt time.Time `json:"rejected_at"`
}

// rejectedWrites keeps the latest rejected queued writes in memory.
type rejectedWrites struct {
	mu   sync.Mutex
	list []RejectedWrite
}

// add records a rejected write, dropping the oldest past maxRejectedWrites.
func (r *rejectedWrites) add(w RejectedWrite) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.list = append(r.list, w)
	if extra := len(r.list) - maxRejectedWrites; extra > 0 {
		r.list = r.list[extra:]
	}
}

// all returns a copy of the rejected writes, oldest first.
func (r *rejectedWrites) all() []RejectedWrite {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]RejectedWrite{}, r.list...)
}

// onDelivered is the groups' replicate.GroupConfig.OnDelivered: a queued write that its
// group rejected is logged and kept for GET /v1/pending.
func (n *Node) onDelivered(group string) func(replicate.Command, error) {
	return func(cmd replicate.Command, err error) {
		if err == nil {
			return
		}
		n.log.Warn("queued write rejected by its group; staff must record it again",
			"group", group, "op", cmd.Op, "customer", cmd.CustomerID, "error", err)
		n.rejected.add(RejectedWrite{
			PendingWrite: PendingWrite{Group: group, ID: cmd.ID, Op: cmd.Op,
				CustomerID: cmd.CustomerID, At: cmd.At},
			Reason: err.Error(), RejectedAt: time.Now().UTC(),
		})
	}
}
