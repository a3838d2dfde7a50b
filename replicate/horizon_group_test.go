package replicate

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/raft"
)

func TestGroup_StaleRejectedOnEveryReplica(t *testing.T) {
	c := newTestCluster(t)
	c.logs = newLogRecorder()
	first := c.mustAddNode("eu")
	c.mustLeader()
	c.addVoters(first, 2)
	follower := c.follower()

	now := time.Now().UTC()
	mustSubmit(t, follower.group, timedPut("req-key1-body1", now))

	ctx := context.Background()
	err := follower.group.Submit(ctx, timedPut("req-old-body", now.Add(-31*24*time.Hour)))
	var rejected *RejectedError
	if !errors.As(err, &rejected) {
		t.Fatalf("old command: err %v, want *RejectedError", err)
	}
	if !errors.Is(err, ErrStale) {
		t.Errorf("old command: errors.Is(err, ErrStale) is false for %v", err)
	}

	// A retried request inside the horizon, through the other follower, applies once.
	other := c.otherFollower(follower)
	mustSubmit(t, other.group, timedPut("req-key1-body1", now.Add(time.Minute)))
	mustSubmit(t, other.group, timedPut("last", now))
	c.waitApplied(2)

	for _, n := range c.nodes {
		if got := n.applier.applies(testGroup, "req-key1-body1"); got != 1 {
			t.Errorf("%s applied req-key1-body1 %d times, want 1", n.id, got)
		}
		if got := n.applier.applies(testGroup, "req-old-body"); got != 0 {
			t.Errorf("%s applied the stale command %d times, want 0", n.id, got)
		}
	}

	waitFor(t, 10*time.Second, "every node to log the stale rejection", func() bool {
		return len(c.logs.find("rejected stale command")) == len(c.nodes)
	})
	seen := map[string]bool{}
	for _, r := range c.logs.find("rejected stale command") {
		seen[r.attrs["node"]] = true
		if r.attrs["error"] != rejected.Reason {
			t.Errorf("%s logged reason %q, want the leader's %q", r.attrs["node"],
				r.attrs["error"], rejected.Reason)
		}
	}
	if len(seen) != len(c.nodes) {
		t.Errorf("stale rejection logged by %v, want every node", seen)
	}
}

func TestGroup_PrunesIDsOnEveryReplica(t *testing.T) {
	c := mustThreeVoters(t)
	leader := c.mustLeader()

	now := time.Now().UTC()
	const old = 40
	for i := range old {
		mustSubmit(t, leader.group, timedPut(fmt.Sprintf("old-%02d", i), now.Add(-45*24*time.Hour)))
	}
	c.waitApplied(old)
	for _, n := range c.nodes {
		if got := countKeys(t, n.db, idsPrefix(testGroup)); got != old {
			t.Fatalf("%s holds %d ids before the horizon moved, want %d", n.id, got, old)
		}
	}

	// Two fresh commands move the horizon past the old ones and prune 32 each.
	for i := range 2 {
		mustSubmit(t, leader.group, timedPut(fmt.Sprintf("fresh-%d", i), now))
	}
	c.waitApplied(old + 2)

	for _, n := range c.nodes {
		if got := countKeys(t, n.db, idsPrefix(testGroup)); got != 2 {
			t.Errorf("%s holds %d ids, want the 2 fresh ones", n.id, got)
		}
		if got := countKeys(t, n.db, idTimesPrefix(testGroup)); got != 2 {
			t.Errorf("%s holds %d time index entries, want 2", n.id, got)
		}
	}

	// A replay of a pruned id is still not applied again: its time is before the horizon.
	err := leader.group.Submit(context.Background(), timedPut("old-07", now.Add(-45*24*time.Hour)))
	if !errors.Is(err, ErrStale) {
		t.Errorf("replay of pruned old-07: err %v, want ErrStale", err)
	}
}

func TestGroup_ReopenKeepsHorizon(t *testing.T) {
	c := mustThreeVoters(t)
	leader := c.mustLeader()
	now := time.Now().UTC()
	mustSubmit(t, leader.group, timedPut("fresh", now))
	c.waitApplied(1)

	follower := c.follower()
	want := mustReadReplayState(t, follower)
	c.mustClose(follower)
	c.mustOpen(follower, false)

	if got := mustReadReplayState(t, follower); got != want {
		t.Errorf("replay state after reopen %+v, want %+v", got, want)
	}
	if want.horizon != stampOf(now.Add(-DefaultIDRetention)) {
		t.Errorf("horizon %v, want %v", timeOf(want.horizon), now.Add(-DefaultIDRetention))
	}
}

func TestGroup_FutureCommandRejectedByLeader(t *testing.T) {
	c := mustThreeVoters(t)
	follower := c.follower()

	err := follower.group.Submit(context.Background(),
		timedPut("from-the-future", time.Now().Add(2*time.Hour)))
	if !errors.Is(err, ErrRejected) {
		t.Fatalf("command 2 h ahead: err %v, want a rejection", err)
	}
	if errors.Is(err, ErrStale) {
		t.Errorf("command 2 h ahead matches ErrStale: %v", err)
	}

	mustSubmit(t, follower.group, timedPut("now", time.Now()))
	c.waitApplied(1)
	for _, n := range c.nodes {
		if got := timeOf(mustReadReplayState(t, n).highWater); got.After(time.Now()) {
			t.Errorf("%s high-water %v is in the future", n.id, got)
		}
	}
}

func TestGroup_CutOffBeyondHorizonQueuedRejected(t *testing.T) {
	c := newTestCluster(t)
	c.logs = newLogRecorder()
	first := c.mustAddNode("eu")
	c.mustLeader()
	c.addVoters(first, 2)
	follower := c.follower()
	c.cut(follower, true)

	// The boutique's commands were written 40 days ago; the group went on writing since.
	written := time.Now().UTC().Add(-40 * 24 * time.Hour)
	for i := range 3 {
		cmd := timedPut(fmt.Sprintf("offline-%d", i), written.Add(time.Duration(i)*time.Minute))
		if err := follower.group.Submit(context.Background(), cmd); !isQueued(err) {
			t.Fatalf("submit %s while cut off: err %v, want ErrQueued", cmd.ID, err)
		}
	}
	mustSubmit(t, c.mustLeader().group, timedPut("group-write", time.Now().UTC()))

	c.cut(follower, false)
	waitFor(t, 15*time.Second, "empty outbox", func() bool {
		p, err := follower.group.Pending()
		return err == nil && len(p) == 0
	})
	c.waitApplied(1)

	for _, n := range c.nodes {
		for i := range 3 {
			id := fmt.Sprintf("offline-%d", i)
			if got := n.applier.applies(testGroup, id); got != 0 {
				t.Errorf("%s applied stale %s %d times, want 0", n.id, id, got)
			}
		}
	}

	warned := c.logs.find("queued command rejected as stale, logging the next ones at debug level")
	if len(warned) != 1 || warned[0].attrs["command"] != "offline-0" {
		t.Errorf("first stale warning %v, want one for offline-0", warned)
	}
	summary := c.logs.find("queued commands rejected as stale")
	if len(summary) != 1 || summary[0].attrs["count"] != "3" {
		t.Errorf("stale summary %v, want one with count 3", summary)
	}
}

// mustReadReplayState reads n's stored replay state, which its state machine wrote with the
// last applied index.
func mustReadReplayState(t *testing.T, n *testNode) replayState {
	t.Helper()

	state, err := readReplayState(n.db, testGroup)
	if err != nil {
		t.Fatalf("read replay state of %s: %v", n.id, err)
	}

	return state
}

// addVoters adds count new nodes as voters through first, which must lead.
func (c *testCluster) addVoters(first *testNode, count int) {
	c.t.Helper()

	for range count {
		n := c.mustAddNode("eu")
		err := first.group.Raft().AddVoter(n.id, raft.ServerAddress(n.id), 0, 5*time.Second).Error()
		if err != nil {
			c.t.Fatalf("add voter %s: %v", n.id, err)
		}
	}
	c.waitLeaderKnown()
}

// otherFollower returns an open follower other than not.
func (c *testCluster) otherFollower(not *testNode) *testNode {
	c.t.Helper()

	leader := c.mustLeader()
	for _, n := range c.nodes {
		if n != leader && n != not && n.group != nil {
			return n
		}
	}
	c.t.Fatal("no second follower")

	return nil
}
