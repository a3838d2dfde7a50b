package replicate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/hashicorp/raft"
)

const testGroup = "brand:maison"

// testNet connects test nodes: raft through in-memory transports, forwarded commands through
// direct calls. A cut node reaches no one and no one reaches it.
type testNet struct {
	mu     sync.Mutex
	groups map[raft.ServerID]*Group
	cut    map[raft.ServerID]bool
}

type testForwarder struct {
	net  *testNet
	from raft.ServerID
}

func (f testForwarder) Forward(ctx context.Context, leaderID raft.ServerID,
	_ raft.ServerAddress, group string, cmd Command) error {
	f.net.mu.Lock()
	target := f.net.groups[leaderID]
	unreachable := f.net.cut[f.from] || f.net.cut[leaderID] || target == nil
	f.net.mu.Unlock()

	if unreachable {
		return fmt.Errorf("leader %s unreachable", leaderID)
	}
	if target.Name() != group {
		return fmt.Errorf("leader %s has no group %s", leaderID, group)
	}

	return target.HandleForwarded(ctx, cmd)
}

type testNode struct {
	id      raft.ServerID
	dir     string
	region  string
	db      *pebble.DB
	trans   *raft.InmemTransport
	applier *testApplier
	group   *Group
}

type testCluster struct {
	t     testing.TB
	base  string
	net   *testNet
	nodes []*testNode
	// tune changes each node's raft profile before Open.
	tune func(*raft.Config)
	// deadAfter is GroupConfig.DeadAfter for every node.
	deadAfter time.Duration
	// logs, when set, receives every node's log records at all levels.
	logs *logRecorder
}

func newTestCluster(t testing.TB) *testCluster {
	t.Helper()

	c := &testCluster{
		t:         t,
		base:      t.TempDir(), // created before the cleanup below, so removed after it
		net:       &testNet{groups: map[raft.ServerID]*Group{}, cut: map[raft.ServerID]bool{}},
		deadAfter: time.Minute,
	}
	t.Cleanup(c.closeAll)

	return c
}

// testLogger writes warnings and errors to stderr when the tests run with -v.
func testLogger() *slog.Logger {
	if !testing.Verbose() {
		return slog.New(slog.DiscardHandler)
	}

	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// mustAddNode opens a new node; the first node of the cluster bootstraps the group.
func (c *testCluster) mustAddNode(region string) *testNode {
	c.t.Helper()

	n := &testNode{
		id:     raft.ServerID(fmt.Sprintf("node%d", len(c.nodes)+1)),
		dir:    filepath.Join(c.base, fmt.Sprintf("node%d", len(c.nodes)+1)),
		region: region,
	}
	c.nodes = append(c.nodes, n)
	c.mustOpen(n, len(c.nodes) == 1)

	return n
}

// mustOpen opens n's database, transport and group, and connects its transport both ways.
func (c *testCluster) mustOpen(n *testNode, bootstrap bool) {
	c.t.Helper()

	if err := c.open(n, bootstrap); err != nil {
		c.t.Fatal(err)
	}
}

// open is mustOpen returning the error. When the group fails to open, it closes the database.
func (c *testCluster) open(n *testNode, bootstrap bool) error {
	db, err := pebble.Open(filepath.Join(n.dir, "pebble"), &pebble.Options{Logger: quietLogger{}})
	if err != nil {
		return fmt.Errorf("open pebble of %s: %w", n.id, err)
	}
	n.db = db
	n.applier = &testApplier{db: db}
	_, n.trans = raft.NewInmemTransport(raft.ServerAddress(n.id))
	c.connect(n)

	rc := LoopbackConfig()
	if c.tune != nil {
		c.tune(rc)
	}

	logger := testLogger()
	if c.logs != nil {
		logger = slog.New(c.logs)
	}

	n.group, err = Open(GroupConfig{
		Name:        testGroup,
		LocalID:     n.id,
		DB:          db,
		Dir:         n.dir,
		Transport:   n.trans,
		Applier:     n.applier,
		Forwarder:   testForwarder{net: c.net, from: n.id},
		Raft:        rc,
		Bootstrap:   bootstrap,
		DeadAfter:   c.deadAfter,
		OutboxRetry: 50 * time.Millisecond,
		Logger:      logger.With("node", n.id),
	})
	if err != nil {
		n.group = nil
		_ = db.Close()
		return fmt.Errorf("open group on %s: %w", n.id, err)
	}

	c.net.mu.Lock()
	c.net.groups[n.id] = n.group
	c.net.mu.Unlock()

	return nil
}

func (c *testCluster) connect(n *testNode) {
	for _, other := range c.nodes {
		if other == n || other.trans == nil {
			continue
		}
		n.trans.Connect(raft.ServerAddress(other.id), other.trans)
		other.trans.Connect(raft.ServerAddress(n.id), n.trans)
	}
}

// cut disconnects n from every other node, or reconnects it.
func (c *testCluster) cut(n *testNode, cut bool) {
	c.net.mu.Lock()
	c.net.cut[n.id] = cut
	c.net.mu.Unlock()

	if cut {
		n.trans.DisconnectAll()
		for _, other := range c.nodes {
			if other != n && other.trans != nil {
				other.trans.Disconnect(raft.ServerAddress(n.id))
			}
		}
		return
	}

	c.connect(n)
}

// mustClose closes n's group and database, as a crash without leaving would.
func (c *testCluster) mustClose(n *testNode) {
	c.t.Helper()

	c.net.mu.Lock()
	delete(c.net.groups, n.id)
	c.net.mu.Unlock()

	for _, other := range c.nodes {
		if other != n && other.trans != nil {
			other.trans.Disconnect(raft.ServerAddress(n.id))
		}
	}

	if err := n.group.Close(); err != nil {
		c.t.Errorf("close group of %s: %v", n.id, err)
	}
	if err := n.db.Close(); err != nil {
		c.t.Errorf("close pebble of %s: %v", n.id, err)
	}
	n.group, n.trans = nil, nil
}

func (c *testCluster) closeAll() {
	for _, n := range c.nodes {
		if n.group != nil {
			c.mustClose(n)
		}
	}
}

// mustLeader waits for one leader among the open nodes and returns it.
func (c *testCluster) mustLeader() *testNode {
	c.t.Helper()

	var leader *testNode
	waitFor(c.t, 10*time.Second, "a leader", func() bool {
		for _, n := range c.nodes {
			if n.group != nil && n.group.Raft().State() == raft.Leader {
				leader = n
				return true
			}
		}
		return false
	})

	return leader
}

// mustThreeVoters starts three nodes and makes the second and third voters directly.
func mustThreeVoters(t testing.TB) *testCluster {
	t.Helper()

	c := newTestCluster(t)
	first := c.mustAddNode("eu")
	c.mustLeader()
	for range 2 {
		n := c.mustAddNode("eu")
		err := first.group.Raft().AddVoter(n.id, raft.ServerAddress(n.id), 0, 5*time.Second).Error()
		if err != nil {
			t.Fatalf("add voter %s: %v", n.id, err)
		}
	}
	c.waitLeaderKnown()

	return c
}

// waitLeaderKnown waits until every open node reports the same leader, so that a follower's
// first Submit is forwarded instead of queued.
func (c *testCluster) waitLeaderKnown() {
	c.t.Helper()

	leader := c.mustLeader()
	for _, n := range c.nodes {
		if n.group == nil {
			continue
		}
		waitFor(c.t, 10*time.Second, string(n.id)+" to know the leader", func() bool {
			_, id := n.group.Raft().LeaderWithID()
			return id == leader.id
		})
	}
}

// follower returns an open node that is not the leader.
func (c *testCluster) follower() *testNode {
	c.t.Helper()

	leader := c.mustLeader()
	for _, n := range c.nodes {
		if n != leader && n.group != nil {
			return n
		}
	}
	c.t.Fatal("no follower")

	return nil
}

// waitApplied waits until every open node has applied want commands.
func (c *testCluster) waitApplied(want int) {
	c.t.Helper()

	for _, n := range c.nodes {
		if n.group == nil {
			continue
		}
		waitFor(c.t, 30*time.Second, fmt.Sprintf("%d commands on %s", want, n.id), func() bool {
			return len(n.applier.appliedOrder(testGroup)) >= want
		})
	}
}

// quietLogger drops Pebble's informational messages and fails loudly on fatal ones.
type quietLogger struct{}

func (quietLogger) Infof(string, ...any) {}
func (quietLogger) Errorf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
}
func (quietLogger) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }

func waitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()

	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func putCommand(id, customer, payload string) Command {
	return Command{ID: id, Op: "put", CustomerID: customer, Origin: "test",
		At: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC), Payload: []byte(payload)}
}

func forgetCommand(id, customer string) Command {
	return Command{ID: id, Op: OpForget, CustomerID: customer, Origin: "test",
		At: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
}

func mustSubmit(t testing.TB, g *Group, cmd Command) {
	t.Helper()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	if err := g.Submit(ctx, cmd); err != nil {
		t.Fatalf("submit %s: %v", cmd.ID, err)
	}
}

func isQueued(err error) bool {
	return errors.Is(err, ErrQueued)
}
