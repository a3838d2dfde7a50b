package replicate

import (
	"context"

	"github.com/hashicorp/raft"
)

// Forwarder sends a command submitted on a follower to the group's leader, whose node passes
// it to Group.HandleForwarded and returns that call's error. A rejection must come back as a
// *RejectedError (rebuilt from the leader's response); any other error makes the follower queue
// the command in its outbox and retry, which is safe because command ids deduplicate.
type Forwarder interface {
	Forward(ctx context.Context, leaderID raft.ServerID, leaderAddr raft.ServerAddress,
		group string, cmd Command) error
}
