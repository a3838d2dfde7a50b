package replicate

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// OpForget is the Op of a command that withdraws a client's consent. After the Applier has
// applied it, the group removes the client's earlier commands from its log, its snapshots and
// its Pebble files (see the package documentation for the time bound).
const OpForget = "forget"

// Command is one write to a group's state. ID is chosen by the writer and must be unique: a
// command is applied at most once however often it is submitted, forwarded or replayed.
type Command struct {
	// ID identifies the command across retries. It must be non-empty.
	ID string
	// Op names the operation, for example OpForget. replicate reads only OpForget.
	Op string
	// CustomerID is the client the command is about, if any.
	CustomerID string
	// Origin is the raft server id of the node that wrote the command.
	Origin string
	// At is the writer's clock when the command was written. It must be set. The state
	// machine never reads the local clock, so At is the only time an Applier may use. It also
	// places the command against the group's replay horizon (GroupConfig.IDRetention).
	At time.Time
	// Payload is the node's encoded write (JSON), opaque to replicate.
	Payload []byte
}

// entryCommand is the first byte of every raft log entry written by this package, so that
// other entry kinds can be added later without ambiguity.
const entryCommand byte = 1

// validate checks what replicate itself relies on.
func (c Command) validate() error {
	if c.ID == "" {
		return errors.New("invalid command: empty id")
	}
	if c.At.IsZero() {
		return fmt.Errorf("invalid command %s: zero At, expected the writer's time", c.ID)
	}

	return nil
}

// encodeCommand returns cmd encoded as a log entry without a retention, as the outbox
// stores it.
func encodeCommand(cmd Command) ([]byte, error) {
	body, err := json.Marshal(cmd)
	if err != nil {
		return nil, fmt.Errorf("encode command %s: %w", cmd.ID, err)
	}

	return append([]byte{entryCommand}, body...), nil
}

// logEntry is the body of a raft log entry: the command and the id retention of the leader
// that appended it. Its JSON is the command's with one more field, which decoders that know
// only Command ignore. Entries written before the field existed decode with Retention 0.
//
// NOTE: a node of an earlier version ignores Retention and has no horizon, so it applies a
// stale command that the other nodes reject. Upgrade every node of a group before relying on
// the horizon.
type logEntry struct {
	Command
	Retention time.Duration `json:",omitempty"`
}

// encodeEntry returns the raft log entry data for cmd with the leader's id retention.
func encodeEntry(cmd Command, retention time.Duration) ([]byte, error) {
	body, err := json.Marshal(logEntry{Command: cmd, Retention: retention})
	if err != nil {
		return nil, fmt.Errorf("encode command %s: %w", cmd.ID, err)
	}

	return append([]byte{entryCommand}, body...), nil
}

// decodeEntry parses data written by encodeEntry or encodeCommand.
func decodeEntry(data []byte) (logEntry, error) {
	var entry logEntry
	if len(data) == 0 || data[0] != entryCommand {
		return entry, errors.New("decode command: unknown entry kind")
	}

	if err := json.Unmarshal(data[1:], &entry); err != nil {
		return entry, fmt.Errorf("decode command: %w", err)
	}

	return entry, nil
}

// decodeCommand parses data written by encodeCommand or encodeEntry.
func decodeCommand(data []byte) (Command, error) {
	entry, err := decodeEntry(data)

	return entry.Command, err
}
