package replicate

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/hashicorp/raft"
)

func TestGroup_ForwardedAppliedOnce(t *testing.T) {
	c := mustThreeVoters(t)
	follower := c.follower()
	leader := c.mustLeader()

	var want []string
	for i := range 20 {
		cmd := putCommand(fmt.Sprintf("cmd-%02d", i), "client-a", "profile v"+fmt.Sprint(i))
		mustSubmit(t, follower.group, cmd)
		want = append(want, cmd.ID)
	}

	// The same ids again, through the follower and through the leader.
	mustSubmit(t, follower.group, putCommand("cmd-03", "client-a", "ignored"))
	mustSubmit(t, leader.group, putCommand("cmd-07", "client-a", "ignored"))
	mustSubmit(t, leader.group, putCommand("cmd-last", "client-a", "last"))
	want = append(want, "cmd-last")
	c.waitApplied(len(want))

	for _, n := range c.nodes {
		if got := n.applier.appliedOrder(testGroup); !slices.Equal(got, want) {
			t.Errorf("%s applied %v, want %v", n.id, got, want)
		}
		if got := n.applier.applies(testGroup, "cmd-03"); got != 1 {
			t.Errorf("%s applied cmd-03 %d times, want 1", n.id, got)
		}
		if got := string(n.applier.profile(testGroup, "client-a")); got != "last" {
			t.Errorf("%s holds profile %q, want %q", n.id, got, "last")
		}
	}
}

func TestGroup_RejectionReturnedAndRecorded(t *testing.T) {
	c := mustThreeVoters(t)
	follower := c.follower()

	mustSubmit(t, follower.group, putCommand("put-1", "client-a", "profile"))
	mustSubmit(t, follower.group, forgetCommand("forget-1", "client-a"))

	ctx := context.Background()
	for _, attempt := range []string{"first", "duplicate"} {
		err := follower.group.Submit(ctx, putCommand("put-2", "client-a", "again"))
		var rejected *RejectedError
		if !errors.As(err, &rejected) {
			t.Fatalf("%s submit after forget: err %v, want *RejectedError", attempt, err)
		}
		if !errors.Is(err, ErrRejected) {
			t.Errorf("%s submit: errors.Is(err, ErrRejected) is false", attempt)
		}
		if rejected.CommandID != "put-2" {
			t.Errorf("%s submit: rejected id %q, want put-2", attempt, rejected.CommandID)
		}
	}

	if got := follower.applier.profile(testGroup, "client-a"); got != nil {
		t.Errorf("profile after forget = %q, want none", got)
	}
}

func TestGroup_CutOffFollowerQueues(t *testing.T) {
	c := mustThreeVoters(t)
	mustSubmit(t, c.mustLeader().group, putCommand("before", "client-a", "v0"))
	follower := c.follower()
	c.cut(follower, true)

	ctx := context.Background()
	var queued []string
	for i := range 5 {
		cmd := putCommand(fmt.Sprintf("offline-%d", i), "client-b", fmt.Sprint("v", i))
		if err := follower.group.Submit(ctx, cmd); !isQueued(err) {
			t.Fatalf("submit %s while cut off: err %v, want ErrQueued", cmd.ID, err)
		}
		queued = append(queued, cmd.ID)
	}

	pending, err := follower.group.Pending()
	if err != nil {
		t.Fatalf("pending: %v", err)
	}
	var pendingIDs []string
	for _, cmd := range pending {
		pendingIDs = append(pendingIDs, cmd.ID)
	}
	if !slices.Equal(pendingIDs, queued) {
		t.Fatalf("pending %v, want %v", pendingIDs, queued)
	}

	c.cut(follower, false)
	want := append([]string{"before"}, queued...)
	c.waitApplied(len(want))

	waitFor(t, 10*time.Second, "empty outbox", func() bool {
		p, err := follower.group.Pending()
		return err == nil && len(p) == 0
	})
	for _, n := range c.nodes {
		if got := n.applier.appliedOrder(testGroup); !slices.Equal(got, want) {
			t.Errorf("%s applied %v, want %v", n.id, got, want)
		}
	}
}

func TestGroup_LeaderKilledDuringSubmits(t *testing.T) {
	c := mustThreeVoters(t)
	leader := c.mustLeader()

	var survivors []*testNode
	for _, n := range c.nodes {
		if n != leader {
			survivors = append(survivors, n)
		}
	}

	var (
		mu    sync.Mutex
		acked []string // applied, or queued for delivery by the outbox
		wg    sync.WaitGroup
	)
	killAt := make(chan struct{})
	for _, n := range survivors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 60 {
				if i == 20 && n == survivors[0] {
					close(killAt)
				}
				cmd := putCommand(fmt.Sprintf("%s-%02d", n.id, i), string(n.id), fmt.Sprint(i))
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				err := n.group.Submit(ctx, cmd)
				cancel()
				if err == nil || isQueued(err) {
					mu.Lock()
					acked = append(acked, cmd.ID)
					mu.Unlock()
				}
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}

	<-killAt
	c.mustClose(leader)
	wg.Wait()

	newLeader := c.mustLeader()
	if newLeader == leader {
		t.Fatal("killed leader still reported as leader")
	}
	t.Logf("new leader %s; %d commands applied", newLeader.id,
		len(survivors[0].applier.appliedOrder(testGroup)))
	if len(acked) != 120 {
		t.Errorf("%d of 120 submits acknowledged or queued", len(acked))
	}

	for _, n := range survivors {
		waitFor(t, 30*time.Second, "empty outbox on "+string(n.id), func() bool {
			p, err := n.group.Pending()
			return err == nil && len(p) == 0
		})
	}
	for _, n := range survivors {
		waitFor(t, 10*time.Second, "all acknowledged on "+string(n.id), func() bool {
			return len(n.applier.appliedOrder(testGroup)) >= len(acked)
		})
	}

	first := survivors[0].applier.appliedOrder(testGroup)
	for _, n := range survivors {
		got := n.applier.appliedOrder(testGroup)
		if !slices.Equal(got, first) {
			t.Errorf("%s applied a different sequence than %s", n.id, survivors[0].id)
		}
		for _, id := range acked {
			if count := n.applier.applies(testGroup, id); count != 1 {
				t.Errorf("%s applied %s %d times, want 1", n.id, id, count)
			}
		}
		if len(got) != len(acked) {
			t.Errorf("%s applied %d commands, want %d", n.id, len(got), len(acked))
		}
	}
}

func TestGroup_JoinInstallsSnapshot(t *testing.T) {
	if testing.Short() {
		t.Skip("applies 10,000 commands")
	}

	c := newTestCluster(t)
	c.tune = func(rc *raft.Config) { rc.TrailingLogs = 256 }
	first := c.mustAddNode("eu")
	c.mustLeader()
	for range 2 {
		n := c.mustAddNode("eu")
		err := first.group.Raft().AddVoter(n.id, raft.ServerAddress(n.id), 0, 5*time.Second).Error()
		if err != nil {
			t.Fatalf("add voter %s: %v", n.id, err)
		}
	}

	const total = 10_000
	leader := c.mustLeader()
	mustSubmitMany(t, leader.group, total, 64)
	if err := leader.group.Raft().Snapshot().Error(); err != nil {
		t.Fatalf("snapshot: %v", err)
	}

	joiner := c.mustAddNode("asia")
	members := make([]Member, 0, len(c.nodes))
	for _, n := range c.nodes {
		members = append(members, Member{ID: n.id, Addr: raft.ServerAddress(n.id),
			Region: n.region, Alive: true})
	}
	if err := leader.group.Reconcile(members); err != nil {
		t.Fatalf("reconcile: %v", err)
	}

	waitFor(t, 30*time.Second, "joiner to catch up", func() bool {
		return len(joiner.applier.appliedOrder(testGroup)) == total
	})

	st, err := joiner.group.Status()
	if err != nil {
		t.Fatalf("status: %v", err)
	}
	t.Logf("joiner: snapshot index %d, applied %d, Apply calls %d", st.LastSnapshotIndex,
		st.AppliedIndex, joiner.applier.calls.Load())
	if st.LastSnapshotIndex == 0 {
		t.Errorf("joiner has no snapshot, want an installed one")
	}
	if calls := joiner.applier.calls.Load(); calls > 1000 {
		t.Errorf("joiner ran Apply %d times, want a snapshot install and few entries", calls)
	}
	waitFor(t, 5*time.Second, "joiner as non-voter in the leader's configuration", func() bool {
		st, err := leader.group.Status()
		return err == nil && slices.Contains(st.Nonvoters, joiner.id) &&
			!slices.Contains(st.Voters, joiner.id)
	})

	// The restored command ids still deduplicate on the joiner.
	calls := joiner.applier.calls.Load()
	mustSubmit(t, joiner.group, putCommand("bulk-00042", "client-0", "again"))
	if got := joiner.applier.applies(testGroup, "bulk-00042"); got != 1 {
		t.Errorf("joiner applied bulk-00042 %d times, want 1", got)
	}
	if got := joiner.applier.calls.Load(); got != calls {
		t.Errorf("duplicate id reached Apply on the joiner (%d calls, want %d)", got, calls)
	}
}

// mustSubmitMany submits total commands bulk-NNNNN from workers goroutines.
func mustSubmitMany(t *testing.T, g *Group, total, workers int) {
	t.Helper()

	ids := make(chan int)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range ids {
				cmd := putCommand(fmt.Sprintf("bulk-%05d", i), fmt.Sprintf("client-%d", i%100),
					"profile")
				if err := g.Submit(context.Background(), cmd); err != nil {
					errs <- fmt.Errorf("submit %s: %w", cmd.ID, err)
					return
				}
			}
		}()
	}

	for i := range total {
		ids <- i
	}
	close(ids)
	wg.Wait()
	close(errs)

	for err := range errs {
		t.Fatal(err)
	}
}

func TestGroup_ReopenKeepsState(t *testing.T) {
	c := mustThreeVoters(t)
	leader := c.mustLeader()
	for i := range 10 {
		mustSubmit(t, leader.group, putCommand(fmt.Sprintf("early-%d", i), "client-a", "v"))
	}
	c.waitApplied(10)

	follower := c.follower()
	appliedBefore := follower.group.fsm.applied.Load()
	c.mustClose(follower)

	for i := range 5 {
		mustSubmit(t, leader.group, putCommand(fmt.Sprintf("late-%d", i), "client-a", "v"))
	}

	c.mustOpen(follower, false)

	if got := follower.group.fsm.applied.Load(); got < appliedBefore {
		t.Errorf("applied index after reopen %d, want at least %d", got, appliedBefore)
	}
	if got := follower.applier.appliedOrder(testGroup); len(got) < 10 {
		t.Errorf("state after reopen holds %d commands, want at least 10", len(got))
	}

	c.waitApplied(15)
	waitFor(t, 10*time.Second, "reopened node to see the leader", func() bool {
		st, err := follower.group.Status()
		return err == nil && st.Leader == leader.id
	})

	mustSubmit(t, follower.group, putCommand("early-3", "client-a", "again"))
	for _, n := range c.nodes {
		if got := n.applier.applies(testGroup, "early-3"); got != 1 {
			t.Errorf("%s applied early-3 %d times, want 1", n.id, got)
		}
	}
}

func TestGroup_StatusShowsProgress(t *testing.T) {
	c := mustThreeVoters(t)
	leader := c.mustLeader()
	mustSubmit(t, leader.group, putCommand("one", "client-a", "v"))
	c.waitApplied(1)

	waitFor(t, 5*time.Second, "followers' match index", func() bool {
		st, err := leader.group.Status()
		if err != nil {
			return false
		}
		for _, m := range st.Members {
			if m.MatchIndex < st.AppliedIndex {
				return false
			}
		}
		return true
	})

	st, err := leader.group.Status()
	if err != nil {
		t.Fatalf("status: %v", err)
	}
	if st.Leader != leader.id {
		t.Errorf("leader %s, want %s", st.Leader, leader.id)
	}
	if len(st.Voters) != 3 {
		t.Errorf("voters %v, want 3", st.Voters)
	}
	for _, m := range st.Members {
		if m.Lag != 0 {
			t.Errorf("member %s lag %d, want 0", m.ID, m.Lag)
		}
	}
}

func TestGroup_OutboxSurvivesReopen(t *testing.T) {
	c := mustThreeVoters(t)
	follower := c.follower()
	c.cut(follower, true)

	for i := range 3 {
		cmd := putCommand(fmt.Sprintf("queued-%d", i), "client-a", "v")
		if err := follower.group.Submit(context.Background(), cmd); !isQueued(err) {
			t.Fatalf("submit %s while cut off: err %v, want ErrQueued", cmd.ID, err)
		}
	}

	c.mustClose(follower)
	c.net.mu.Lock()
	c.net.cut[follower.id] = false
	c.net.mu.Unlock()
	c.mustOpen(follower, false)

	want := []string{"queued-0", "queued-1", "queued-2"}
	c.waitApplied(len(want))
	for _, n := range c.nodes {
		if got := n.applier.appliedOrder(testGroup); !slices.Equal(got, want) {
			t.Errorf("%s applied %v, want %v", n.id, got, want)
		}
	}
}

func TestGroup_OpenRestoresNewerSnapshot(t *testing.T) {
	c := mustThreeVoters(t)
	leader := c.mustLeader()
	for i := range 5 {
		mustSubmit(t, leader.group, putCommand(fmt.Sprintf("cmd-%d", i), "client-a", "v"))
	}
	c.waitApplied(5)

	follower := c.follower()
	if err := follower.group.Raft().Snapshot().Error(); err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	c.mustClose(follower)

	// Simulate a crash after raft stored a snapshot but before Restore was committed: the
	// state in Pebble goes back to empty while the snapshot stays on disk.
	db, err := pebble.Open(filepath.Join(follower.dir, "pebble"),
		&pebble.Options{Logger: quietLogger{}})
	if err != nil {
		t.Fatalf("open pebble: %v", err)
	}
	for _, prefix := range []string{"state/", "rep/"} {
		start := []byte(prefix)
		if err := db.DeleteRange(start, prefixEnd(start), pebble.Sync); err != nil {
			t.Fatalf("delete %s: %v", prefix, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatalf("close pebble: %v", err)
	}

	c.mustOpen(follower, false)

	want := []string{"cmd-0", "cmd-1", "cmd-2", "cmd-3", "cmd-4"}
	if got := follower.applier.appliedOrder(testGroup); !slices.Equal(got, want) {
		t.Errorf("state after reopen %v, want %v restored from the snapshot", got, want)
	}
	if got := follower.group.fsm.applied.Load(); got < 5 {
		t.Errorf("applied index after reopen %d, want at least 5", got)
	}
}
