package replicate

import (
	"io"

	"github.com/cockroachdb/pebble/v2"
)

// Applier is the state a group's log is applied to. The node implements it over its profile
// store, which lives in the same Pebble database as the group's raft log.
//
// Every method must be deterministic: the same commands in the same order must produce the
// same state on every node, so an Applier reads no clock and no randomness (Command.At is the
// writer's time).
type Applier interface {
	// Apply adds cmd's effect to batch. replicate commits batch together with the group's
	// applied index and the command's id, so a crash never applies a command twice or half.
	// Writes of earlier commands are committed before Apply is called, so Apply may read them
	// from the database. An error rejects the command: replicate drops batch, records the
	// rejection with the error text and returns it to the submitter as a *RejectedError.
	Apply(group string, batch *pebble.Batch, cmd Command) error

	// WriteSnapshot writes the group's whole state, read from snap, to w.
	WriteSnapshot(group string, snap *pebble.Snapshot, w io.Writer) error

	// Restore replaces the group's state with the one WriteSnapshot wrote. It writes each
	// record into batch.Batch() and then calls batch.Flush, which commits the batch once it
	// has grown past 16 MiB. A restore that fails or is cut by a crash can thus leave part of its writes
	// committed, and the next Restore of the group runs over that partial state. Restore must
	// therefore delete all of the group's old state, not only the records the snapshot lacks.
	// It must read r to the end of its own data and no further data follows it.
	Restore(group string, batch *RestoreBatch, r io.Reader) error
}
