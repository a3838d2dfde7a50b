package replicate

import (
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/raft"
)

// Member is one node of the group as the membership gossip reports it.
type Member struct {
	// ID is the node's raft server id.
	ID raft.ServerID
	// Addr is the node's raft address for the group's transport.
	Addr raft.ServerAddress
	// Region groups nodes that fail together; voters are spread over distinct regions.
	Region string
	// Alive is the gossip's health verdict.
	Alive bool
	// Since is when Alive last changed. For a dead member it starts the grace period.
	Since time.Time
}

// maxPromoteLag is how many entries a non-voter may trail the leader's last index and still
// be promoted, so that a new voter does not stall commits while it catches up.
const maxPromoteLag = 128

// configChangeTimeout bounds one raft configuration change.
const configChangeTimeout = 10 * time.Second

// reconciler keeps what Reconcile must remember between calls: when each configured server
// was first seen missing from the member list, which starts its grace period.
type reconciler struct {
	mu          sync.Mutex
	absentSince map[raft.ServerID]time.Time
}

func newReconciler() *reconciler {
	return &reconciler{absentSince: make(map[raft.ServerID]time.Time)}
}

// Reconcile brings the raft configuration in line with members, the gossip's list of the nodes
// that belong to this group.
// Only the leader acts, and on other nodes Reconcile returns nil. The leader adds new alive
// members as non-voters, which catch up from a snapshot. It keeps GroupConfig.Voters voters
// among alive, caught-up members, spread over regions, and promotes a non-voter when a voter
// dies. It removes members that have been dead for GroupConfig.DeadAfter. A configured server
// missing from members counts as dead from the first Reconcile call that missed it.
func (g *Group) Reconcile(members []Member) error {
	if g.closed() {
		return ErrClosed
	}
	if g.raft.State() != raft.Leader {
		return nil
	}

	future := g.raft.GetConfiguration()
	if err := future.Error(); err != nil {
		return fmt.Errorf("reconcile %s: read configuration: %w", g.cfg.Name, err)
	}

	states := g.memberStates(future.Configuration().Servers, members, time.Now())
	for _, change := range planChanges(states, g.cfg.Voters, g.cfg.DeadAfter) {
		if err := g.applyChange(change); err != nil {
			return fmt.Errorf("reconcile %s: %s %s: %w", g.cfg.Name, change.Kind, change.ID, err)
		}
	}

	return nil
}

// memberStates joins the configuration, the member list and replication progress.
func (g *Group) memberStates(servers []raft.Server, members []Member,
	now time.Time) []memberState {
	byID := make(map[raft.ServerID]Member, len(members))
	for _, m := range members {
		byID[m.ID] = m
	}

	lastIndex := g.raft.LastIndex()
	states := make([]memberState, 0, len(servers)+len(members))
	for _, server := range servers {
		member, listed := byID[server.ID]
		delete(byID, server.ID)
		states = append(states, g.configuredState(server, member, listed, lastIndex, now))
	}

	for _, m := range byID {
		states = append(states, memberState{ID: m.ID, Addr: m.Addr, Region: m.Region,
			Alive: m.Alive})
	}

	return states
}

func (g *Group) configuredState(server raft.Server, member Member, listed bool,
	lastIndex uint64, now time.Time) memberState {
	s := memberState{
		ID:       server.ID,
		Addr:     server.Address,
		Region:   member.Region,
		InConfig: true,
		Voter:    server.Suffrage == raft.Voter,
		Self:     server.ID == g.cfg.LocalID,
		Alive:    listed && member.Alive,
	}

	if s.Self {
		s.Alive = true
		s.CaughtUp = true
		return s
	}

	if listed && member.Addr != "" && member.Addr != server.Address {
		s.Addr = member.Addr
		s.AddrChanged = true
	}

	match, _ := g.progress.get(server.ID)
	s.CaughtUp = match > 0 && match+maxPromoteLag >= lastIndex
	s.DeadFor = g.reconcile.deadFor(server.ID, member, listed, now)

	return s
}

// deadFor returns how long the member has been dead, or 0 while it is alive.
func (r *reconciler) deadFor(id raft.ServerID, m Member, listed bool, now time.Time) time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()

	if listed && m.Alive {
		delete(r.absentSince, id)
		return 0
	}

	if listed && !m.Since.IsZero() {
		delete(r.absentSince, id)
		return now.Sub(m.Since)
	}

	since, seen := r.absentSince[id]
	if !seen {
		r.absentSince[id] = now
		return 0
	}

	return now.Sub(since)
}

func (g *Group) applyChange(c configChange) error {
	g.logger.Info("changing configuration", "change", c.Kind.String(), "server", c.ID,
		"address", c.Addr, "reason", c.Reason)

	var future raft.IndexFuture
	switch c.Kind {
	case changeAddNonvoter:
		future = g.raft.AddNonvoter(c.ID, c.Addr, 0, configChangeTimeout)
	case changeAddVoter:
		future = g.raft.AddVoter(c.ID, c.Addr, 0, configChangeTimeout)
	case changeDemote:
		future = g.raft.DemoteVoter(c.ID, 0, configChangeTimeout)
	case changeRemove:
		future = g.raft.RemoveServer(c.ID, 0, configChangeTimeout)
	default:
		return fmt.Errorf("unknown change kind %d", c.Kind)
	}

	return future.Error()
}
