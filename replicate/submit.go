package replicate

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/raft"
)

// defaultApplyTimeout bounds a raft.Apply when the caller's context has no deadline.
const defaultApplyTimeout = 10 * time.Second

// maxClockAhead is how far a command's At may be ahead of the leader's clock. The newest At
// moves the replay horizon, so one writer with a clock set a year ahead would otherwise make
// the group reject every correct command as stale for a year. One hour lets through clocks
// that drift without time synchronization, and rejects a local time east of UTC written as
// UTC.
//
// NOTE: the check uses the leader's clock, so a leader whose own clock is far ahead lets such
// commands into the log.
const maxClockAhead = time.Hour

// errClockAhead is wrapped by the rejection of a command written too far in the future.
var errClockAhead = errors.New("command time ahead of the leader's clock")

// Submit writes cmd to the group. It returns nil once cmd is applied (or was applied before
// under the same id), a *RejectedError when the Applier rejected it, or ErrQueued when cmd
// waits in the durable outbox. Submit queues cmd when no leader is reachable, when forwarding
// fails, and when ctx ends before the outcome is known. It returns ErrClosed after Close.
//
// A node's own writes keep their order: while earlier commands wait in the outbox, Submit
// queues cmd behind them instead of sending it. Concurrent calls have no order between them.
func (g *Group) Submit(ctx context.Context, cmd Command) error {
	if err := cmd.validate(); err != nil {
		return err
	}
	if g.closed() {
		return ErrClosed
	}

	if g.outbox.len() > 0 {
		return g.enqueue(cmd, errors.New("earlier commands are queued"))
	}

	err := g.send(ctx, cmd)
	if err == nil || errors.Is(err, ErrRejected) {
		return err
	}

	return g.enqueue(cmd, err)
}

func (g *Group) enqueue(cmd Command, cause error) error {
	if err := g.outbox.push(cmd); err != nil {
		return fmt.Errorf("queue command %s after %v: %w", cmd.ID, cause, err)
	}

	g.logger.Debug("command queued", "command", cmd.ID, "cause", cause)

	return ErrQueued
}

// HandleForwarded applies a command that a follower forwarded. It returns ErrNotLeader when
// this node is not the leader, so the follower retries with the leader it learns next.
func (g *Group) HandleForwarded(ctx context.Context, cmd Command) error {
	if err := cmd.validate(); err != nil {
		return err
	}
	if g.closed() {
		return ErrClosed
	}

	if g.raft.State() != raft.Leader {
		return ErrNotLeader
	}

	return g.apply(ctx, cmd)
}

// send applies cmd on the leader, or forwards it to the leader from a follower.
func (g *Group) send(ctx context.Context, cmd Command) error {
	if g.raft.State() == raft.Leader {
		return g.apply(ctx, cmd)
	}

	addr, id := g.raft.LeaderWithID()
	if id == "" {
		return errors.New("no known leader")
	}
	if g.cfg.Forwarder == nil {
		return errors.New("no forwarder to reach the leader")
	}

	if err := g.cfg.Forwarder.Forward(ctx, id, addr, g.cfg.Name, cmd); err != nil {
		return fmt.Errorf("forward %s to leader %s: %w", cmd.ID, id, err)
	}

	return nil
}

// apply appends cmd to the log through raft and waits for its outcome or ctx. It rejects a
// command written more than maxClockAhead after the leader's clock before it reaches the
// log. That rejection is not recorded, so the same command succeeds once the clocks agree.
func (g *Group) apply(ctx context.Context, cmd Command) error {
	if ahead := time.Until(cmd.At); ahead > maxClockAhead {
		err := fmt.Errorf("%w: written at %s, %s after this leader's clock, more than the "+
			"%s allowed, so check the writer's clock", errClockAhead,
			cmd.At.UTC().Format(time.RFC3339), ahead.Round(time.Second), maxClockAhead)
		return &RejectedError{CommandID: cmd.ID, Reason: err.Error(), Err: err}
	}

	data, err := encodeEntry(cmd, g.cfg.IDRetention)
	if err != nil {
		return err
	}

	timeout := defaultApplyTimeout
	if deadline, ok := ctx.Deadline(); ok {
		timeout = time.Until(deadline)
	}

	future := g.raft.Apply(data, timeout)
	done := make(chan error, 1)
	go func() { done <- future.Error() }()

	select {
	case <-ctx.Done():
		return fmt.Errorf("apply %s: %w", cmd.ID, ctx.Err())
	case err := <-done:
		if err != nil {
			return fmt.Errorf("apply %s: %w", cmd.ID, err)
		}
	}

	result, ok := future.Response().(applyResult)
	if !ok {
		return fmt.Errorf("apply %s: unexpected state machine response %T", cmd.ID,
			future.Response())
	}

	return result.err
}
