package replicate

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/hashicorp/raft"
)

// GroupConfig configures one raft group on this node.
type GroupConfig struct {
	// Name is the group, for example "brand:maison" or "group:atelier". It must not contain
	// a slash, because it is part of Pebble keys and of the snapshot folder.
	Name string

	// LocalID is this node's raft server id (its libp2p peer id in production).
	LocalID raft.ServerID

	// DB is the node's Pebble database. The group keeps its raft log, stable store, applied
	// state and outbox in it under its own prefixes; the caller opens and closes it.
	DB *pebble.DB

	// Dir is the node's data folder. Snapshots go to <Dir>/raft/<Name>/.
	Dir string

	// Transport carries raft RPCs to the other members. Close closes it together with raft.
	Transport raft.Transport

	// Applier is the state the log is applied to.
	Applier Applier

	// Forwarder sends commands submitted on a follower to the leader. Without one, a
	// follower queues every command in its outbox and only a leader applies them.
	Forwarder Forwarder

	// Raft is the raft timing profile: LANConfig, WANConfig or LoopbackConfig. LocalID,
	// Logger and NoSnapshotRestoreOnStart are set by Open. Default: WANConfig().
	Raft *raft.Config

	// Bootstrap makes the first node of a new group bootstrap a configuration with itself as
	// the only voter. It is ignored when the node already has raft state.
	Bootstrap bool

	// Voters is the number of voters the leader keeps, 3 or 5. Default 3.
	Voters int

	// DeadAfter is how long a member must be dead, or missing from the member list, before
	// the leader removes it from the configuration. Default 5 minutes.
	DeadAfter time.Duration

	// OutboxRetry is the first delay before the outbox retries a failed delivery. The delay
	// doubles after each failure. Default 200 ms.
	OutboxRetry time.Duration

	// OutboxRetryMax is the maximum delay between outbox retries. Default 30 s.
	OutboxRetryMax time.Duration

	// IDRetention is how long the group keeps command ids for deduplication, measured back
	// from the newest Command.At the group has applied. A command written earlier than that
	// is rejected as stale (ErrStale), and the ids of such commands are deleted. The leader
	// writes its own value into each log entry, so replicas agree even when their
	// configurations differ. Default 30 days: longer than any outbox wait or client retry
	// we expect, including a boutique cut off from its group for several weeks.
	IDRetention time.Duration

	// OnDelivered, if set, is called after a queued command is applied (err nil) or rejected
	// (err a *RejectedError), so the node can tell the user. It runs on the outbox goroutine.
	OnDelivered func(cmd Command, err error)

	// Logger receives the group's and raft's logs. Default slog.Default().
	Logger *slog.Logger
}

// Defaults for GroupConfig fields left zero.
const (
	DefaultVoters         = 3
	DefaultDeadAfter      = 5 * time.Minute
	DefaultOutboxRetry    = 200 * time.Millisecond
	DefaultOutboxRetryMax = 30 * time.Second
	DefaultIDRetention    = 30 * 24 * time.Hour
)

// WANConfig returns the raft profile for groups spread over regions, which is
// raft.DefaultConfig of hashicorp/raft v1.7.2: 1 s heartbeat and election timeouts.
func WANConfig() *raft.Config {
	return raft.DefaultConfig()
}

// LANConfig returns the raft profile for members on one local network: 500 ms timeouts, an
// estimate between the WAN and loopback profiles that no test has measured.
func LANConfig() *raft.Config {
	c := raft.DefaultConfig()
	c.HeartbeatTimeout = 500 * time.Millisecond
	c.ElectionTimeout = 500 * time.Millisecond
	c.LeaderLeaseTimeout = 250 * time.Millisecond

	return c
}

// LoopbackConfig returns the raft profile for tests on one machine: 200 ms timeouts.
func LoopbackConfig() *raft.Config {
	c := raft.DefaultConfig()
	c.HeartbeatTimeout = 200 * time.Millisecond
	c.ElectionTimeout = 200 * time.Millisecond
	c.LeaderLeaseTimeout = 100 * time.Millisecond
	c.CommitTimeout = 5 * time.Millisecond

	return c
}

// withDefaults returns a copy of c with zero fields set to their defaults, or an error.
func (c GroupConfig) withDefaults() (GroupConfig, error) {
	if err := validateGroupName(c.Name); err != nil {
		return c, err
	}

	switch {
	case c.LocalID == "":
		return c, errors.New("invalid group config: empty LocalID")
	case c.DB == nil:
		return c, errors.New("invalid group config: nil DB")
	case c.Dir == "":
		return c, errors.New("invalid group config: empty Dir")
	case c.Transport == nil:
		return c, errors.New("invalid group config: nil Transport")
	case c.Applier == nil:
		return c, errors.New("invalid group config: nil Applier")
	}

	if c.Voters == 0 {
		c.Voters = DefaultVoters
	}
	if c.Voters != 3 && c.Voters != 5 {
		return c, fmt.Errorf("invalid group config: Voters %d, expected 3 or 5", c.Voters)
	}

	c.Raft = cloneRaftConfig(c.Raft)
	c.DeadAfter = orDefault(c.DeadAfter, DefaultDeadAfter)
	c.OutboxRetry = orDefault(c.OutboxRetry, DefaultOutboxRetry)
	c.OutboxRetryMax = orDefault(c.OutboxRetryMax, DefaultOutboxRetryMax)
	c.IDRetention = orDefault(c.IDRetention, DefaultIDRetention)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}

	return c, nil
}

func cloneRaftConfig(c *raft.Config) *raft.Config {
	if c == nil {
		return WANConfig()
	}

	clone := *c

	return &clone
}

func orDefault(d, fallback time.Duration) time.Duration {
	if d <= 0 {
		return fallback
	}

	return d
}
