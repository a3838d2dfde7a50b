package mesh

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
	"github.com/libp2p/go-libp2p/core/protocol"
)

// listFSM records every applied command in order.
type listFSM struct {
	mu       sync.Mutex
	commands []string
}

func (f *listFSM) Apply(entry *raft.Log) any {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.commands = append(f.commands, string(entry.Data))
	return len(f.commands)
}

func (f *listFSM) Snapshot() (raft.FSMSnapshot, error) {
	return nil, errors.New("snapshots are not used in these tests")
}

func (f *listFSM) Restore(io.ReadCloser) error {
	return errors.New("snapshots are not used in these tests")
}

func (f *listFSM) list() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.commands...)
}

// raftNode is one Raft server of a test group.
type raftNode struct {
	raft      *raft.Raft
	transport *raft.NetworkTransport
	fsm       *listFSM
	stopped   bool
}

// shutdown stops Raft and closes its transport together, as a node must.
func (n *raftNode) shutdown() error {
	if n.stopped {
		return nil
	}
	n.stopped = true
	err := n.raft.Shutdown().Error()
	return errors.Join(err, n.transport.Close())
}

// mustRaftGroup starts one Raft server per host on the group's protocol, with in-memory
// stores and 200 ms timeouts, and bootstraps the group from the first host. Each change
// edits every server's Raft config before it starts.
func mustRaftGroup(t testing.TB, group string, hosts []*Host,
	changes ...func(*raft.Config)) []*raftNode {
	t.Helper()
	proto, err := RaftProtocol(group)
	if err != nil {
		t.Fatal(err)
	}

	var servers []raft.Server
	for _, host := range hosts {
		servers = append(servers, raft.Server{
			ID:      raft.ServerID(host.ID().String()),
			Address: raft.ServerAddress(host.ID().String()),
		})
	}

	nodes := make([]*raftNode, 0, len(hosts))
	for i, host := range hosts {
		node := mustRaftNode(t, host, proto, changes...)
		if i == 0 {
			configuration := raft.Configuration{Servers: servers}
			if err := node.raft.BootstrapCluster(configuration).Error(); err != nil {
				t.Fatalf("bootstrap: %v", err)
			}
		}
		nodes = append(nodes, node)
	}
	t.Cleanup(func() {
		for _, node := range nodes {
			node.shutdown()
		}
	})
	return nodes
}

func mustRaftNode(t testing.TB, host *Host, proto protocol.ID,
	changes ...func(*raft.Config)) *raftNode {
	t.Helper()
	logger := hclog.New(&hclog.LoggerOptions{Output: io.Discard})
	if testing.Verbose() {
		logger = hclog.New(&hclog.LoggerOptions{Output: testWriter{t}, Level: hclog.Warn})
	}

	layer := NewStreamLayer(host, proto)
	transport := raft.NewNetworkTransportWithLogger(layer, 3, 2*time.Second, logger)

	cfg := raft.DefaultConfig()
	cfg.LocalID = raft.ServerID(host.ID().String())
	cfg.HeartbeatTimeout = 200 * time.Millisecond
	cfg.ElectionTimeout = 200 * time.Millisecond
	cfg.LeaderLeaseTimeout = 100 * time.Millisecond
	cfg.CommitTimeout = 10 * time.Millisecond
	cfg.Logger = logger
	for _, change := range changes {
		change(cfg)
	}

	fsm := &listFSM{}
	store := raft.NewInmemStore()
	r, err := raft.NewRaft(cfg, fsm, store, store, raft.NewInmemSnapshotStore(), transport)
	if err != nil {
		t.Fatalf("new raft: %v", err)
	}
	return &raftNode{raft: r, transport: transport, fsm: fsm}
}

// waitLeader waits until one running node is leader and the others agree on it.
func waitLeader(t testing.TB, nodes []*raftNode, timeout time.Duration) (*raftNode,
	time.Duration) {
	t.Helper()
	var leader *raftNode
	took := waitFor(t, timeout, "a leader", func() bool {
		leader = nil
		for _, node := range nodes {
			if !node.stopped && node.raft.State() == raft.Leader {
				leader = node
			}
		}
		if leader == nil {
			return false
		}
		address, _ := leader.raft.LeaderWithID()
		for _, node := range nodes {
			if node.stopped {
				continue
			}
			if seen, _ := node.raft.LeaderWithID(); seen != address {
				return false
			}
		}
		return true
	})
	return leader, took
}

func mustApply(t *testing.T, leader *raftNode, prefix string, count int) {
	t.Helper()
	futures := make([]raft.ApplyFuture, 0, count)
	for i := range count {
		futures = append(futures, leader.raft.Apply([]byte(prefix+strconv.Itoa(i)),
			5*time.Second))
	}
	for i, future := range futures {
		if err := future.Error(); err != nil {
			t.Fatalf("apply %s%d: %v", prefix, i, err)
		}
	}
}

func expectedCommands(prefix string, count int) []string {
	list := make([]string, 0, count)
	for i := range count {
		list = append(list, prefix+strconv.Itoa(i))
	}
	return list
}

func equalPrefix(got, want []string) bool {
	if len(got) < len(want) {
		return false
	}
	for i := range want {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

func TestStreamLayer_RaftFailover(t *testing.T) {
	key := mustMeshKey(t)
	hosts := []*Host{mustHost(t, key), mustHost(t, key), mustHost(t, key)}
	mustIntroduce(t, hosts...)
	nodes := mustRaftGroup(t, "brand:maison", hosts)

	leader, took := waitLeader(t, nodes, 10*time.Second)
	t.Logf("first leader elected in %s", took)

	mustApply(t, leader, "cmd-", 100)
	want := expectedCommands("cmd-", 100)
	for i, node := range nodes {
		waitFor(t, 5*time.Second, fmt.Sprintf("node %d to apply 100 commands", i),
			func() bool { return len(node.fsm.list()) >= 100 })
		got := node.fsm.list()
		if len(got) != 100 {
			t.Errorf("node %d applied %d commands, expected 100", i, len(got))
		}
		if !equalPrefix(got, want) {
			t.Errorf("node %d applied commands out of order: first %v", i, got[:5])
		}
	}

	start := time.Now()
	if err := leader.shutdown(); err != nil {
		t.Fatalf("shut down leader: %v", err)
	}
	t.Logf("leader shut down in %s", time.Since(start))

	newLeader, took := waitLeader(t, nodes, 10*time.Second)
	t.Logf("new leader elected %s after the old one stopped", took)
	if newLeader == leader {
		t.Fatal("stopped node still reported as leader")
	}

	mustApply(t, newLeader, "after-", 1)
	for _, node := range nodes {
		if node.stopped {
			continue
		}
		waitFor(t, 5*time.Second, "command after failover", func() bool {
			got := node.fsm.list()
			return len(got) == 101 && got[100] == "after-0"
		})
	}

	start = time.Now()
	for _, node := range nodes {
		if err := node.shutdown(); err != nil {
			t.Errorf("shut down: %v", err)
		}
	}
	t.Logf("remaining nodes shut down in %s", time.Since(start))
}

func TestStreamLayer_TwoGroups(t *testing.T) {
	key := mustMeshKey(t)
	hosts := []*Host{mustHost(t, key), mustHost(t, key), mustHost(t, key)}
	mustIntroduce(t, hosts...)
	brand := mustRaftGroup(t, "brand:maison", hosts)
	group := mustRaftGroup(t, "group:lvx", hosts)

	brandLeader, _ := waitLeader(t, brand, 10*time.Second)
	groupLeader, _ := waitLeader(t, group, 10*time.Second)

	var wg sync.WaitGroup
	wg.Go(func() { mustApply(t, brandLeader, "brand-", 30) })
	wg.Go(func() { mustApply(t, groupLeader, "group-", 30) })
	wg.Wait()

	for name, nodes := range map[string][]*raftNode{"brand-": brand, "group-": group} {
		want := expectedCommands(name, 30)
		for i, node := range nodes {
			waitFor(t, 5*time.Second, fmt.Sprintf("%s node %d", name, i), func() bool {
				return len(node.fsm.list()) >= 30
			})
			got := node.fsm.list()
			if len(got) != 30 {
				t.Errorf("%s node %d applied %d commands, expected 30", name, i, len(got))
			}
			if !equalPrefix(got, want) {
				t.Errorf("%s node %d applied %v, expected %v", name, i, got, want)
			}
		}
	}
}

func TestStreamLayer_CloseUnblocksAccept(t *testing.T) {
	host := mustHost(t, mustMeshKey(t))
	layer := NewStreamLayer(host, "/omotenashi/raft/test/1.0.0")

	result := make(chan error, 1)
	go func() {
		_, err := layer.Accept()
		result <- err
	}()
	time.Sleep(50 * time.Millisecond)
	if err := layer.Close(); err != nil {
		t.Fatal(err)
	}

	select {
	case err := <-result:
		if !errors.Is(err, ErrClosed) {
			t.Errorf("accept after close: error %v, expected ErrClosed", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("accept still blocked 2s after close")
	}
	if err := layer.Close(); err != nil {
		t.Errorf("second close: %v", err)
	}
}

func TestStreamLayer_Dial(t *testing.T) {
	key := mustMeshKey(t)
	a := mustHost(t, key)
	b := mustHost(t, key)
	mustIntroduce(t, a, b)
	const proto = "/omotenashi/raft/dial/1.0.0"
	dialer := NewStreamLayer(a, proto)
	listener := NewStreamLayer(b, proto)
	defer dialer.Close()
	defer listener.Close()

	if dialer.Addr().String() != a.ID().String() {
		t.Errorf("addr %s, expected %s", dialer.Addr(), a.ID())
	}
	if dialer.Addr().Network() != "libp2p" {
		t.Errorf("addr network %q, expected libp2p", dialer.Addr().Network())
	}

	conn, err := dialer.Dial(raft.ServerAddress(b.ID().String()), time.Second)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}

	accepted, err := listener.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer accepted.Close()
	buf := make([]byte, 4)
	if _, err := io.ReadFull(accepted, buf); err != nil {
		t.Fatalf("read: %v", err)
	}
	if string(buf) != "ping" {
		t.Errorf("read %q, expected %q", buf, "ping")
	}
	if accepted.RemoteAddr().String() != a.ID().String() {
		t.Errorf("remote addr %s, expected %s", accepted.RemoteAddr(), a.ID())
	}

	if _, err := dialer.Dial("127.0.0.1:4001", time.Second); err == nil {
		t.Error("dial of a host:port address succeeded")
	}
}

func TestRaftProtocol_Names(t *testing.T) {
	cases := []struct {
		group string
		want  string // empty: the name is invalid
	}{
		{"brand:maison", "/omotenashi/raft/brand:maison/1.0.0"},
		{"group:lvx", "/omotenashi/raft/group:lvx/1.0.0"},
		{"", ""},
		{"brand/maison", ""},
		{"brand maison", ""},
		{"brand\nmaison", ""},
		{"銀座", ""},
	}
	for _, tc := range cases {
		t.Run(tc.group, func(t *testing.T) {
			proto, err := RaftProtocol(tc.group)
			if tc.want == "" {
				if err == nil {
					t.Errorf("accepted %q as %s", tc.group, proto)
				}
				return
			}
			if err != nil {
				t.Fatalf("rejected %q: %v", tc.group, err)
			}
			if string(proto) != tc.want {
				t.Errorf("protocol %q, expected %s", proto, tc.want)
			}
		})
	}
}

func ExampleRaftProtocol() {
	proto, err := RaftProtocol("brand:maison")
	fmt.Println(proto, err)
	// Output: /omotenashi/raft/brand:maison/1.0.0 <nil>
}
