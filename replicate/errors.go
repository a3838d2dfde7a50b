package replicate

import (
	"errors"
	"fmt"
)

// ErrQueued is returned by Group.Submit when the command could not reach the group's leader
// and waits in the durable outbox. The outbox retries it until it is applied or rejected, so
// the caller should report the write as pending, not as failed.
var ErrQueued = errors.New("command queued in the outbox until the leader is reachable")

// ErrRejected is matched (with errors.Is) by every *RejectedError.
var ErrRejected = errors.New("command rejected")

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

// RejectedError is the outcome of a command that the Applier rejected. It is final: the
// rejection is recorded under the command's id, and submitting the same id again returns the
// same RejectedError. A Forwarder that carries a leader's response over the network must rebuild
// this type from it, so that the submitting node does not queue the command for retry.
type RejectedError struct {
	// CommandID is the id of the rejected command.
	CommandID string
	// Reason is the Applier's error text, as recorded in the group's state.
	Reason string
	// Err is the Applier's original error. It is nil when the outcome was read back from the
	// recorded state (a duplicate id) or rebuilt by a Forwarder.
	Err error
}

// Error returns the command id and the rejection reason.
func (e *RejectedError) Error() string {
	return fmt.Sprintf("command %s rejected: %s", e.CommandID, e.Reason)
}

// Is reports whether target is ErrRejected.
func (e *RejectedError) Is(target error) bool {
	return target == ErrRejected
}

// Unwrap returns the Applier's original error, if known.
func (e *RejectedError) Unwrap() error {
	return e.Err
}
