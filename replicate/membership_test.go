package replicate

import (
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/raft"
)

func TestGroup_ReconcileMembership(t *testing.T) {
	c := newTestCluster(t)
	c.deadAfter = time.Second
	for _, region := range []string{"eu", "eu", "asia", "us", "eu"} {
		c.mustAddNode(region)
		if len(c.nodes) == 1 {
			c.mustLeader()
		}
	}

	members := make([]Member, 0, len(c.nodes))
	for _, n := range c.nodes {
		members = append(members, Member{ID: n.id, Addr: raft.ServerAddress(n.id),
			Region: n.region, Alive: true})
	}

	spread := []raft.ServerID{"node1", "node3", "node4"}
	st := reconcileUntil(t, c, members, "voters spread over eu, asia, us", func(st Status) bool {
		return len(st.Voters)+len(st.Nonvoters) == 5 && sameIDs(st.Voters, spread)
	})
	if !sameIDs(st.Nonvoters, []raft.ServerID{"node2", "node5"}) {
		t.Errorf("non-voters %v, want node2 and node5", st.Nonvoters)
	}

	// A voter other than the leader dies: a caught-up non-voter replaces it.
	dead := c.nodes[3]
	if dead.id == st.Leader {
		dead = c.nodes[2]
	}
	c.mustClose(dead)
	diedAt := time.Now()
	for i := range members {
		if members[i].ID == dead.id {
			members[i].Alive, members[i].Since = false, diedAt
		}
	}

	st = reconcileUntil(t, c, members, "a replacement voter", func(st Status) bool {
		return len(st.Voters) == 3 && !slices.Contains(st.Voters, dead.id)
	})
	if !slices.Contains(st.Nonvoters, dead.id) && time.Since(diedAt) < c.deadAfter {
		t.Errorf("dead %s left the configuration before the grace period", dead.id)
	}

	reconcileUntil(t, c, members, "removal of the dead member", func(st Status) bool {
		return !slices.Contains(st.Voters, dead.id) && !slices.Contains(st.Nonvoters, dead.id)
	})
	if elapsed := time.Since(diedAt); elapsed < c.deadAfter {
		t.Errorf("dead %s removed after %v, before the %v grace period", dead.id, elapsed,
			c.deadAfter)
	}
}

// reconcileUntil calls Reconcile on the current leader until cond holds for its status.
func reconcileUntil(t *testing.T, c *testCluster, members []Member, what string,
	cond func(Status) bool) Status {
	t.Helper()

	var st Status
	waitFor(t, 20*time.Second, what, func() bool {
		leader := c.mustLeader()
		if err := leader.group.Reconcile(members); err != nil {
			t.Logf("reconcile: %v", err)
			return false
		}
		var err error
		st, err = leader.group.Status()
		return err == nil && cond(st)
	})

	return st
}

func sameIDs(got, want []raft.ServerID) bool {
	got, want = slices.Clone(got), slices.Clone(want)
	slices.Sort(got)
	slices.Sort(want)

	return slices.Equal(got, want)
}

func TestPlanChanges_Cases(t *testing.T) {
	const grace = time.Minute
	voter := func(id, region string) memberState {
		return memberState{ID: raft.ServerID(id), Addr: raft.ServerAddress(id), Region: region,
			InConfig: true, Voter: true, Alive: true, CaughtUp: true}
	}
	nonvoter := func(id, region string) memberState {
		s := voter(id, region)
		s.Voter = false
		return s
	}
	self := func(s memberState) memberState { s.Self = true; return s }
	dead := func(s memberState, d time.Duration) memberState {
		s.Alive, s.DeadFor = false, d
		return s
	}
	lagging := func(s memberState) memberState { s.CaughtUp = false; return s }
	moved := func(s memberState, addr raft.ServerAddress) memberState {
		s.Addr, s.AddrChanged = addr, true
		return s
	}
	fresh := func(id, region string) memberState {
		return memberState{ID: raft.ServerID(id), Addr: raft.ServerAddress(id), Region: region,
			Alive: true}
	}

	tests := []struct {
		name   string
		states []memberState
		want   []configChange
	}{
		{
			name:   "new member joins as non-voter",
			states: []memberState{self(voter("a", "eu")), fresh("b", "us")},
			want:   []configChange{{changeAddNonvoter, "b", "b", "new member"}},
		},
		{
			name: "promotes distinct regions first",
			states: []memberState{self(voter("a", "eu")), nonvoter("b", "eu"),
				nonvoter("c", "asia"), nonvoter("d", "us")},
			want: []configChange{
				{changeAddVoter, "c", "c", "voters below target"},
				{changeAddVoter, "d", "d", "voters below target"},
			},
		},
		{
			name: "lagging non-voter is not promoted",
			states: []memberState{self(voter("a", "eu")), voter("b", "us"),
				lagging(nonvoter("c", "asia"))},
			want: nil,
		},
		{
			name: "dead voter replaced then demoted",
			states: []memberState{self(voter("a", "eu")), voter("b", "us"),
				dead(voter("c", "asia"), time.Second), nonvoter("d", "eu")},
			want: []configChange{
				{changeAddVoter, "d", "d", "voters below target"},
				{changeDemote, "c", "c", "replaced by d"},
			},
		},
		{
			name: "dead past grace period removed",
			states: []memberState{self(voter("a", "eu")), voter("b", "us"), voter("c", "asia"),
				dead(nonvoter("d", "eu"), grace)},
			want: []configChange{{changeRemove, "d", "d", "dead"}},
		},
		{
			name: "dead within grace period kept",
			states: []memberState{self(voter("a", "eu")), voter("b", "us"), voter("c", "asia"),
				dead(nonvoter("d", "eu"), grace-time.Second)},
			want: nil,
		},
		{
			name: "swaps a crowded region for an uncovered one",
			states: []memberState{self(voter("a", "eu")), voter("b", "eu"), voter("c", "us"),
				nonvoter("d", "asia")},
			want: []configChange{
				{changeAddVoter, "d", "d", "spread voters over regions"},
				{changeDemote, "b", "b", "spread voters over regions"},
			},
		},
		{
			name: "never demotes itself",
			states: []memberState{self(voter("a", "eu")), voter("b", "us"), voter("c", "asia"),
				voter("d", "eu")},
			want: []configChange{{changeDemote, "d", "d", "voters above target"}},
		},
		{
			name: "address change re-adds with same suffrage",
			states: []memberState{self(voter("a", "eu")), voter("b", "us"),
				moved(voter("c", "asia"), "c2")},
			want: []configChange{{changeAddVoter, "c", "c2", "address changed"}},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := planChanges(tt.states, 3, grace)
			if !slices.Equal(got, tt.want) {
				t.Errorf("planChanges = %v, want %v", got, tt.want)
			}
		})
	}
}
