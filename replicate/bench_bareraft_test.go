package replicate

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/hashicorp/raft"
)

// bareIDSize is the length of the command id at the start of every bare raft entry.
const bareIDSize = 16

// bareNode is a plain hashicorp/raft server, the baseline that a Group is compared with: TCP
// transport on 127.0.0.1, in-memory log, stable and snapshot stores, and an FSM that only
// reports what it applied.
type bareNode struct {
	raft  *raft.Raft
	trans *raft.NetworkTransport
	fsm   *bareFSM
}

// bareFSM reports each entry's id, its first bareIDSize bytes, to its watch.
type bareFSM struct {
	watch *applyWatch
}

func (f *bareFSM) Apply(l *raft.Log) any {
	if len(l.Data) >= bareIDSize {
		f.watch.notify(string(l.Data[:bareIDSize]), l.Index)
	}

	return nil
}

func (f *bareFSM) Snapshot() (raft.FSMSnapshot, error) {
	return bareSnapshot{}, nil
}

func (f *bareFSM) Restore(rc io.ReadCloser) error {
	return rc.Close()
}

// bareSnapshot is empty, because the bare FSM keeps no state.
type bareSnapshot struct{}

func (bareSnapshot) Persist(sink raft.SnapshotSink) error { return sink.Close() }
func (bareSnapshot) Release()                             {}

// mustBareCluster starts size bare raft servers that all bootstrap the same configuration,
// with the group's loopback timing, and waits for a leader.
func mustBareCluster(t testing.TB, size int) []*bareNode {
	t.Helper()

	nodes := make([]*bareNode, size)
	var servers []raft.Server
	for i := range nodes {
		trans, err := raft.NewTCPTransport("127.0.0.1:0", nil, 3, 10*time.Second,
			transportLog())
		if err != nil {
			t.Fatalf("start raft tcp transport: %v", err)
		}
		nodes[i] = &bareNode{trans: trans, fsm: &bareFSM{watch: newApplyWatch()}}
		servers = append(servers, raft.Server{ID: raft.ServerID(fmt.Sprintf("bare%d", i+1)),
			Address: trans.LocalAddr()})
	}
	t.Cleanup(func() { closeBare(t, nodes) })

	for i, n := range nodes {
		mustStartBare(t, n, servers[i].ID, raft.Configuration{Servers: servers})
	}
	mustBareLeader(t, nodes)

	return nodes
}

func mustStartBare(t testing.TB, n *bareNode, id raft.ServerID, cfg raft.Configuration) {
	t.Helper()

	rc := LoopbackConfig()
	rc.LocalID = id
	rc.Logger = newRaftLogger(testLogger().With("node", id))
	logs := raft.NewInmemStore()
	snaps := raft.NewInmemSnapshotStore()

	if err := raft.BootstrapCluster(rc, logs, logs, snaps, n.trans, cfg); err != nil {
		t.Fatalf("bootstrap %s: %v", id, err)
	}

	r, err := raft.NewRaft(rc, n.fsm, logs, logs, snaps, n.trans)
	if err != nil {
		t.Fatalf("start raft %s: %v", id, err)
	}
	n.raft = r
}

// closeBare shuts every raft down before closing the transports, so that no server waits on
// a closed peer.
func closeBare(t testing.TB, nodes []*bareNode) {
	for _, n := range nodes {
		if n.raft == nil {
			continue
		}
		if err := n.raft.Shutdown().Error(); err != nil {
			t.Errorf("shut down bare raft: %v", err)
		}
	}

	for _, n := range nodes {
		if err := n.trans.Close(); err != nil {
			t.Errorf("close bare raft transport: %v", err)
		}
	}
}

// mustBareLeader waits until one node is leader and every node reports its address, and
// returns it.
func mustBareLeader(t testing.TB, nodes []*bareNode) *bareNode {
	t.Helper()

	var leader *bareNode
	waitFor(t, 10*time.Second, "a bare raft leader known to all", func() bool {
		leader = nil
		for _, n := range nodes {
			if n.raft.State() == raft.Leader {
				leader = n
			}
		}
		if leader == nil {
			return false
		}

		for _, n := range nodes {
			if n.raft.Leader() != leader.trans.LocalAddr() {
				return false
			}
		}
		return true
	})

	return leader
}
