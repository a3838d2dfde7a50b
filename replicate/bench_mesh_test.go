package replicate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/hashicorp/raft"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/pnet"
	"github.com/omotenashi/omotenashi/mesh"
)

// benchForwardProtocol carries commands that a follower forwards to its leader, the way the
// node forwards them, as a JSON Command in one mesh.Host.Call.
const benchForwardProtocol = "/omotenashi/bench-forward/1.0.0"

// meshNode is one benchmark node: a libp2p host on 127.0.0.1, its own Pebble database and a
// group whose raft RPCs and forwarded commands both cross libp2p.
type meshNode struct {
	id      raft.ServerID
	dir     string
	region  string
	host    *mesh.Host
	db      *pebble.DB
	applier *watchedApplier
	group   *Group
}

// meshCluster is a group of meshNodes sharing one mesh key. The first node bootstraps.
type meshCluster struct {
	t     testing.TB
	base  string
	key   pnet.PSK
	nodes []*meshNode
	// tune changes each node's raft profile before Open.
	tune func(*raft.Config)
}

func newMeshCluster(t testing.TB) *meshCluster {
	t.Helper()

	base := t.TempDir() // created before the cleanup below, so removed after it
	key, err := mesh.GenerateMeshKey(filepath.Join(base, "mesh.key"))
	if err != nil {
		t.Fatalf("generate mesh key: %v", err)
	}

	c := &meshCluster{t: t, base: base, key: key}
	t.Cleanup(c.closeAll)

	return c
}

// mustAddNode starts a host, introduces it to every node already started, and opens its
// database and group.
func (c *meshCluster) mustAddNode(region string) *meshNode {
	c.t.Helper()

	dir := filepath.Join(c.base, fmt.Sprintf("node%d", len(c.nodes)+1))
	n := &meshNode{dir: dir, region: region}
	n.host = c.mustHost(dir)
	n.id = raft.ServerID(n.host.ID().String())
	c.introduce(n)
	c.nodes = append(c.nodes, n)

	db, err := pebble.Open(filepath.Join(dir, "pebble"), &pebble.Options{Logger: quietLogger{}})
	if err != nil {
		c.t.Fatalf("open pebble of %s: %v", n.id, err)
	}
	n.db = db
	n.applier = &watchedApplier{testApplier: &testApplier{db: db}, watch: newApplyWatch()}
	c.mustOpenGroup(n, len(c.nodes) == 1)

	return n
}

func (c *meshCluster) mustHost(dir string) *mesh.Host {
	c.t.Helper()

	identity, err := mesh.LoadOrCreateIdentity(filepath.Join(dir, "identity.key"))
	if err != nil {
		c.t.Fatalf("create identity in %s: %v", dir, err)
	}

	cfg := mesh.LoopbackHostConfig()
	cfg.Identity = identity
	cfg.MeshKey = c.key
	cfg.Logger = testLogger()
	host, err := mesh.NewHost(cfg)
	if err != nil {
		c.t.Fatalf("start libp2p host in %s: %v", dir, err)
	}

	return host
}

// introduce makes n and every started node allow each other and know each other's addresses,
// which gossip does in the node.
func (c *meshCluster) introduce(n *meshNode) {
	c.t.Helper()

	for _, other := range c.nodes {
		for _, pair := range [][2]*mesh.Host{{n.host, other.host}, {other.host, n.host}} {
			pair[0].Allow(pair[1].ID())
			if err := pair[0].AddAddrs(pair[1].ID(), pair[1].P2PAddrs()); err != nil {
				c.t.Fatalf("add addresses of %s: %v", pair[1].ID(), err)
			}
		}
	}
}

func (c *meshCluster) mustOpenGroup(n *meshNode, bootstrap bool) {
	c.t.Helper()

	proto, err := mesh.RaftProtocol(testGroup)
	if err != nil {
		c.t.Fatalf("raft protocol: %v", err)
	}
	trans := raft.NewNetworkTransport(mesh.NewStreamLayer(n.host, proto), 3, 10*time.Second,
		transportLog())

	rc := LoopbackConfig()
	if c.tune != nil {
		c.tune(rc)
	}

	n.group, err = Open(GroupConfig{
		Name:      testGroup,
		LocalID:   n.id,
		DB:        n.db,
		Dir:       n.dir,
		Transport: trans,
		Applier:   n.applier,
		Forwarder: meshForwarder{host: n.host},
		Raft:      rc,
		Bootstrap: bootstrap,
		Logger:    testLogger().With("node", n.id),
	})
	if err != nil {
		trans.Close()
		c.t.Fatalf("open group on %s: %v", n.id, err)
	}
	n.applier.fsm.Store(n.group.fsm)
	n.host.Handle(benchForwardProtocol, n.handleForward)
}

// transportLog is where raft's network transport writes: stderr with -v, nowhere otherwise.
func transportLog() io.Writer {
	if testing.Verbose() {
		return os.Stderr
	}

	return io.Discard
}

// closeAll closes each node's group (and with it the transport), then its database and host,
// the order the node uses so that no raft RPC runs on a closed host.
func (c *meshCluster) closeAll() {
	for _, n := range c.nodes {
		if n.group != nil {
			if err := n.group.Close(); err != nil {
				c.t.Errorf("close group of %s: %v", n.id, err)
			}
		}
		if n.db != nil {
			if err := n.db.Close(); err != nil {
				c.t.Errorf("close pebble of %s: %v", n.id, err)
			}
		}
		if err := n.host.Close(); err != nil {
			c.t.Errorf("close host of %s: %v", n.id, err)
		}
	}
}

// mustLeader waits for a leader among the nodes and returns it.
func (c *meshCluster) mustLeader() *meshNode {
	c.t.Helper()

	var leader *meshNode
	waitFor(c.t, 10*time.Second, "a leader", func() bool {
		for _, n := range c.nodes {
			if n.group.Raft().State() == raft.Leader {
				leader = n
				return true
			}
		}
		return false
	})

	return leader
}

// voterRegions are the regions of the voters that mustGrow adds, after the first node's "eu".
// With the three covered, Reconcile has no reason to swap a voter for a later node in "eu".
var voterRegions = []string{"asia", "us"}

// mustGrow adds voters and then non-voters to the group through the leader's raft, without
// Reconcile, and waits until every node reports the leader's id.
func (c *meshCluster) mustGrow(voters, nonvoters int) {
	c.t.Helper()

	leader := c.mustLeader()
	for i := range voters + nonvoters {
		region := "eu"
		if i < voters {
			region = voterRegions[i%len(voterRegions)]
		}
		n := c.mustAddNode(region)
		change := leader.group.Raft().AddVoter
		if i >= voters {
			change = leader.group.Raft().AddNonvoter
		}
		if err := change(n.id, raft.ServerAddress(n.id), 0, 10*time.Second).Error(); err != nil {
			c.t.Fatalf("add %s: %v", n.id, err)
		}
	}

	for _, n := range c.nodes {
		waitFor(c.t, 10*time.Second, string(n.id)+" to report the leader", func() bool {
			_, id := n.group.Raft().LeaderWithID()
			return id == leader.id
		})
	}
}

// followers returns the nodes that are not the leader.
func (c *meshCluster) followers() []*meshNode {
	leader := c.mustLeader()
	var followers []*meshNode
	for _, n := range c.nodes {
		if n != leader {
			followers = append(followers, n)
		}
	}

	return followers
}

// waitAllApplied waits until every node's state has reached index.
func (c *meshCluster) waitAllApplied(index uint64, timeout time.Duration) {
	c.t.Helper()

	for _, n := range c.nodes {
		waitFor(c.t, timeout, fmt.Sprintf("%s to apply index %d", n.id, index), func() bool {
			return n.group.fsm.applied.Load() >= index
		})
	}
}

// meshForwarder forwards a follower's command to the leader over libp2p, as the node does.
type meshForwarder struct {
	host *mesh.Host
}

func (f meshForwarder) Forward(ctx context.Context, leaderID raft.ServerID,
	_ raft.ServerAddress, _ string, cmd Command) error {
	id, err := peer.Decode(string(leaderID))
	if err != nil {
		return fmt.Errorf("decode leader id %q: %w", leaderID, err)
	}

	request, err := json.Marshal(cmd)
	if err != nil {
		return fmt.Errorf("encode command %s: %w", cmd.ID, err)
	}

	response, err := f.host.Call(ctx, id, benchForwardProtocol, request)
	if err != nil {
		return err
	}
	if len(response) > 0 {
		return &RejectedError{CommandID: cmd.ID, Reason: string(response)}
	}

	return nil
}

// handleForward applies a forwarded command on the leader. The response is empty when the
// command was applied and the rejection's reason when the Applier rejected it.
func (n *meshNode) handleForward(ctx context.Context, _ peer.ID, request []byte) ([]byte,
	error) {
	var cmd Command
	if err := json.Unmarshal(request, &cmd); err != nil {
		return nil, fmt.Errorf("decode forwarded command: %w", err)
	}

	err := n.group.HandleForwarded(ctx, cmd)
	var rejected *RejectedError
	if errors.As(err, &rejected) {
		return []byte(rejected.Reason), nil
	}

	return nil, err
}

// applyWatch notifies a benchmark when a command id reaches a state machine. Each id is waited
// for at most once.
type applyWatch struct {
	mu      sync.Mutex
	waiters map[string]chan uint64
}

func newApplyWatch() *applyWatch {
	return &applyWatch{waiters: make(map[string]chan uint64)}
}

// expect registers id before it is submitted and returns the channel that notify fills.
func (w *applyWatch) expect(id string) <-chan uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()

	ch := make(chan uint64, 1)
	w.waiters[id] = ch

	return ch
}

// notify sends value to the waiter of id, if any, and removes the waiter.
func (w *applyWatch) notify(id string, value uint64) {
	w.mu.Lock()
	ch, ok := w.waiters[id]
	delete(w.waiters, id)
	w.mu.Unlock()

	if ok {
		ch <- value
	}
}

// watchedApplier is the test Applier that also reports each applied command id, with the
// applied index its fsm had before this command's batch.
type watchedApplier struct {
	*testApplier
	watch *applyWatch
	fsm   atomic.Pointer[fsm]
}

func (a *watchedApplier) Apply(group string, batch *pebble.Batch, cmd Command) error {
	if err := a.testApplier.Apply(group, batch, cmd); err != nil {
		return err
	}

	var before uint64
	if f := a.fsm.Load(); f != nil {
		before = f.applied.Load()
	}
	a.watch.notify(cmd.ID, before)

	return nil
}

// awaitCommitted waits for the notification on ch, then for the fsm to commit that command's
// batch, which it does right after Apply returns. It spins on the applied index instead of
// sleeping, because the commit takes one fsync, well under a timer tick.
func (n *meshNode) awaitCommitted(ch <-chan uint64, timeout time.Duration) error {
	deadline := time.After(timeout)

	var before uint64
	select {
	case before = <-ch:
	case <-deadline:
		return fmt.Errorf("timed out after %v waiting for the command on %s", timeout, n.id)
	}

	for n.group.fsm.applied.Load() <= before {
		runtime.Gosched()
	}

	return nil
}
