package replicate

import (
	"errors"
	"fmt"
	"strings"
)

// ErrQueued is returned by Group.Submit when the command could not reach the group's leader
// and waits in the durable outbox. The outbox retries it until it is applied or rejected, so
// the caller should report the write as pending, not as failed.
var ErrQueued = errors.New("command queued in the outbox until the leader is reachable")

// ErrRejected is matched (with errors.Is) by every *RejectedError.
var ErrRejected = errors.New("command rejected")

// ErrStale is matched (with errors.Is) by the *RejectedError of a command whose At is before
// the group's replay horizon: more than GroupConfig.IDRetention before the newest command the
// group has applied. Its id may have been pruned, so the command could be a replay of one
// already applied. A stale rejection is not recorded under the command's id, but the horizon
// never moves back, so every later try is rejected too.
var ErrStale = errors.New("stale command")

// ErrNotLeader is returned by Group.HandleForwarded when this node is not the group's leader,
// so the forwarding node should look up the leader again and retry.
var ErrNotLeader = errors.New("not the group leader")

// ErrPartialState is returned by Open when a snapshot restore of the group was interrupted and
// the snapshot store holds no snapshot to restore again, and by the state machine's Snapshot
// while a restore is unfinished. The group's state then contains part of the old state and
// part of a snapshot.
var ErrPartialState = errors.New("group state partial after an interrupted snapshot restore")

// ErrClosed is returned by a Group's methods after Close.
var ErrClosed = errors.New("group closed")

// RejectedError is the outcome of a command that the group rejected. A rejection by the
// Applier is final: it is recorded under the command's id, and submitting the same id again
// returns the same RejectedError. A stale command (ErrStale) and a command written more than
// an hour ahead of the leader's clock are rejected without a record. A Forwarder that
// carries a leader's response over the network must rebuild this type from it, so that the
// submitting node does not queue the command for retry.
type RejectedError struct {
	// CommandID is the id of the rejected command.
	CommandID string
	// Reason is the rejection's error text, as recorded in the group's state for the
	// Applier's rejections.
	Reason string
	// Err is the Applier's original error. It is nil when the outcome was read back from the
	// recorded state (a duplicate id) or rebuilt by a Forwarder.
	Err error
}

// Error returns the command id and the rejection reason.
func (e *RejectedError) Error() string {
	return fmt.Sprintf("command %s rejected: %s", e.CommandID, e.Reason)
}

// Is reports whether target is ErrRejected, or ErrStale for a stale command. A stale
// rejection rebuilt by a Forwarder has no Err, so Is matches its Reason, which starts with
// ErrStale's text.
func (e *RejectedError) Is(target error) bool {
	if target == ErrStale {
		return strings.HasPrefix(e.Reason, ErrStale.Error()+": ")
	}

	return target == ErrRejected
}

// Unwrap returns the Applier's original error, if known.
func (e *RejectedError) Unwrap() error {
	return e.Err
}
