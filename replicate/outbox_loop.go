package replicate

import (
	"context"
	"errors"
	"time"
)

// Pending returns the commands waiting in the outbox, oldest first.
func (g *Group) Pending() ([]Command, error) {
	return g.outbox.list()
}

// runOutbox delivers queued commands one at a time, oldest first, until ctx ends. A delivery
// that fails for any reason except a rejection is retried after a delay that doubles from
// OutboxRetry to OutboxRetryMax, or at once when the leader changes.
func (g *Group) runOutbox(ctx context.Context) {
	var delay time.Duration
	failures := 0

	for {
		if g.outbox.len() == 0 || delay > 0 {
			if !g.waitOutbox(ctx, delay) {
				return
			}
		}

		err := g.deliverFront(ctx)
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			if failures > 0 {
				g.logger.Info("outbox delivery resumed", "failed_attempts", failures)
			}
			delay, failures = 0, 0
			continue
		}

		failures++
		delay = nextDelay(delay, g.cfg.OutboxRetry, g.cfg.OutboxRetryMax)
		g.logOutboxFailure(err, failures, delay)
	}
}

// waitOutbox sleeps for delay (or until woken when delay is 0) and reports whether to go on.
func (g *Group) waitOutbox(ctx context.Context, delay time.Duration) bool {
	var timer <-chan time.Time
	if delay > 0 {
		t := time.NewTimer(delay)
		defer t.Stop()
		timer = t.C
	}

	select {
	case <-ctx.Done():
		return false
	case <-g.outbox.wakeCh:
	case <-timer:
	}

	return true
}

// deliverFront sends the oldest queued command and removes it once applied or rejected.
func (g *Group) deliverFront(ctx context.Context) error {
	seq, cmd, ok, err := g.outbox.front()
	if err != nil || !ok {
		return err
	}

	sendCtx, cancel := context.WithTimeout(ctx, defaultApplyTimeout)
	defer cancel()

	sendErr := g.send(sendCtx, cmd)
	if sendErr != nil && !errors.Is(sendErr, ErrRejected) {
		return sendErr
	}

	if err := g.outbox.remove(seq); err != nil {
		return err
	}

	if sendErr != nil {
		g.logRejected(cmd, sendErr)
	}
	if g.cfg.OnDelivered != nil {
		g.cfg.OnDelivered(cmd, sendErr)
	}

	return nil
}

// logRejected logs a queued command that the group rejected. A node back after more than
// IDRetention away can have thousands of stale commands, so it logs the first stale one of a
// run at warning level, the rest at debug level, and their count once the outbox is empty.
func (g *Group) logRejected(cmd Command, err error) {
	if !errors.Is(err, ErrStale) {
		g.logger.Warn("queued command rejected", "command", cmd.ID, "error", err)
		return
	}

	g.staleRejected++
	if g.staleRejected == 1 {
		g.logger.Warn("queued command rejected as stale, logging the next ones at debug level",
			"command", cmd.ID, "error", err, "action", "make the write again if still needed")
	} else {
		g.logger.Debug("queued command rejected as stale", "command", cmd.ID, "error", err)
	}

	if g.outbox.len() == 0 {
		g.logger.Warn("queued commands rejected as stale", "count", g.staleRejected,
			"action", "make the writes again if still needed")
		g.staleRejected = 0
	}
}

// logOutboxFailure logs the first failure of a run at warning level and the rest at debug
// level, so an unreachable leader does not flood the log.
func (g *Group) logOutboxFailure(err error, failures int, delay time.Duration) {
	level := g.logger.Debug
	if failures == 1 {
		level = g.logger.Warn
	}

	level("outbox delivery failed, will retry", "error", err, "attempt", failures,
		"retry_in", delay, "pending", g.outbox.len())
}

func nextDelay(current, initial, maxDelay time.Duration) time.Duration {
	if current == 0 {
		return initial
	}

	return min(2*current, maxDelay)
}
