package replicate

import (
	"fmt"
	"strconv"
	"time"

	"github.com/hashicorp/raft"
)

// Status is the replication state of a group, read on this node.
type Status struct {
	Group string
	ID    raft.ServerID
	// State is this node's raft state: Leader, Follower, Candidate or Shutdown.
	State      raft.RaftState
	Term       uint64
	Leader     raft.ServerID
	LeaderAddr raft.ServerAddress

	// AppliedIndex is the last log index committed to this node's state in Pebble.
	AppliedIndex uint64
	// LastLogIndex is the last index in this node's raft log or latest snapshot.
	LastLogIndex uint64
	// LastSnapshotIndex is the index of this node's latest snapshot, 0 before the first.
	LastSnapshotIndex uint64

	Voters    []raft.ServerID
	Nonvoters []raft.ServerID

	// Members lists every server in the configuration. Their progress fields are filled only
	// on the leader, from the responses it received since it was elected.
	Members []MemberStatus
}

// MemberStatus is one server's replication progress, measured by the leader.
type MemberStatus struct {
	ID       raft.ServerID
	Addr     raft.ServerAddress
	Suffrage raft.ServerSuffrage
	// MatchIndex is the highest index the server acknowledged, 0 when unknown.
	MatchIndex uint64
	// Lag is the leader's last index minus MatchIndex.
	Lag uint64
	// LastContact is the time of the last successful AppendEntries or InstallSnapshot, zero
	// when unknown.
	LastContact time.Time
}

// Status returns the group's replication status.
func (g *Group) Status() (Status, error) {
	future := g.raft.GetConfiguration()
	if err := future.Error(); err != nil {
		return Status{}, fmt.Errorf("status of %s: read configuration: %w", g.cfg.Name, err)
	}

	stats := g.raft.Stats()
	leaderAddr, leaderID := g.raft.LeaderWithID()
	st := Status{
		Group:             g.cfg.Name,
		ID:                g.cfg.LocalID,
		State:             g.raft.State(),
		Term:              parseStat(stats, "term"),
		Leader:            leaderID,
		LeaderAddr:        leaderAddr,
		AppliedIndex:      g.fsm.applied.Load(),
		LastLogIndex:      g.raft.LastIndex(),
		LastSnapshotIndex: parseStat(stats, "last_snapshot_index"),
	}

	for _, server := range future.Configuration().Servers {
		st.addServer(server, g)
	}

	return st, nil
}

func (st *Status) addServer(server raft.Server, g *Group) {
	if server.Suffrage == raft.Voter {
		st.Voters = append(st.Voters, server.ID)
	} else {
		st.Nonvoters = append(st.Nonvoters, server.ID)
	}

	m := MemberStatus{ID: server.ID, Addr: server.Address, Suffrage: server.Suffrage}
	switch {
	case st.State != raft.Leader:
	case server.ID == g.cfg.LocalID:
		m.MatchIndex = st.LastLogIndex
		m.LastContact = time.Now()
	default:
		m.MatchIndex, m.LastContact = g.progress.get(server.ID)
		if m.MatchIndex > 0 && m.MatchIndex <= st.LastLogIndex {
			m.Lag = st.LastLogIndex - m.MatchIndex
		} else if m.MatchIndex == 0 {
			m.Lag = st.LastLogIndex
		}
	}

	st.Members = append(st.Members, m)
}

func parseStat(stats map[string]string, key string) uint64 {
	n, _ := strconv.ParseUint(stats[key], 10, 64)
	return n
}
