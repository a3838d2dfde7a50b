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
	// At is the writer's clock when the command was written. The state machine never reads
	// the local clock, so At is the only time an Applier may use.
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

	return nil
}

// encodeCommand returns the raft log entry data for cmd.
func encodeCommand(cmd Command) ([]byte, error) {
	body, err := json.Marshal(cmd)
	if err != nil {
		return nil, fmt.Errorf("encode command %s: %w", cmd.ID, err)
	}

	return append([]byte{entryCommand}, body...), nil
}

// decodeCommand parses raft log entry data written by encodeCommand.
func decodeCommand(data []byte) (Command, error) {
	var cmd Command
	if len(data) == 0 || data[0] != entryCommand {
		return cmd, errors.New("decode command: unknown entry kind")
	}

	if err := json.Unmarshal(data[1:], &cmd); err != nil {
		return cmd, fmt.Errorf("decode command: %w", err)
	}

	return cmd, nil
}
