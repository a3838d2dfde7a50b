package replicate

import (
	"cmp"
	"slices"
	"time"

	"github.com/hashicorp/raft"
)

// memberState is the leader's record of one server for planning configuration changes: its
// place in the raft configuration, its gossip health and its replication progress.
type memberState struct {
	ID     raft.ServerID
	Addr   raft.ServerAddress
	Region string

	InConfig bool
	Voter    bool
	Self     bool

	Alive   bool
	DeadFor time.Duration
	// CaughtUp means the leader saw the member store entries close to its last index.
	CaughtUp bool
	// AddrChanged means gossip reports a different address than the configuration holds.
	AddrChanged bool
}

type changeKind int

const (
	changeAddNonvoter changeKind = iota + 1
	changeAddVoter               // promote a non-voter, or update a voter's address
	changeDemote
	changeRemove
)

func (k changeKind) String() string {
	switch k {
	case changeAddNonvoter:
		return "add non-voter"
	case changeAddVoter:
		return "add voter"
	case changeDemote:
		return "demote voter"
	case changeRemove:
		return "remove server"
	}

	return "unknown change"
}

// configChange is one raft configuration change, applied in plan order.
type configChange struct {
	Kind   changeKind
	ID     raft.ServerID
	Addr   raft.ServerAddress
	Reason string
}

// planChanges returns the configuration changes that move the group towards: every alive
// member in the configuration, members dead for deadAfter removed, and target voters among
// alive, caught-up members, in as many distinct regions as possible. It never demotes or
// removes the leader itself (Self). A replacement voter is promoted before the dead voter it
// replaces is demoted, so the number of alive voters never drops on the way.
func planChanges(states []memberState, target int, deadAfter time.Duration) []configChange {
	states = slices.Clone(states)
	slices.SortFunc(states, func(a, b memberState) int { return cmp.Compare(a.ID, b.ID) })

	var changes []configChange
	var kept []memberState
	for _, s := range states {
		switch {
		case s.InConfig && !s.Self && !s.Alive && s.DeadFor >= deadAfter:
			changes = append(changes, configChange{changeRemove, s.ID, s.Addr, "dead"})
		case !s.InConfig && s.Alive:
			changes = append(changes, configChange{changeAddNonvoter, s.ID, s.Addr, "new member"})
		case s.InConfig && s.Alive && s.AddrChanged:
			kind := changeAddNonvoter
			if s.Voter {
				kind = changeAddVoter
			}
			changes = append(changes, configChange{kind, s.ID, s.Addr, "address changed"})
			kept = append(kept, s)
		case s.InConfig:
			kept = append(kept, s)
		}
	}

	return append(changes, planVoters(kept, target)...)
}

// planVoters promotes and demotes among servers already in the configuration.
func planVoters(states []memberState, target int) []configChange {
	var alive, dead, candidates []memberState
	for _, s := range states {
		switch {
		case s.Voter && s.Alive:
			alive = append(alive, s)
		case s.Voter:
			dead = append(dead, s)
		case s.Alive && s.CaughtUp:
			candidates = append(candidates, s)
		}
	}

	regions := regionCounts(alive)
	var changes []configChange

	// Fill up to target, preferring candidates in regions without an alive voter.
	for len(alive) < target && len(candidates) > 0 {
		best := pickCandidate(candidates, regions)
		promoted := candidates[best]
		candidates = slices.Delete(candidates, best, best+1)

		changes = append(changes, configChange{changeAddVoter, promoted.ID, promoted.Addr,
			"voters below target"})
		alive = append(alive, promoted)
		regions[promoted.Region]++

		if len(dead) > 0 {
			changes = append(changes, configChange{changeDemote, dead[0].ID, dead[0].Addr,
				"replaced by " + string(promoted.ID)})
			dead = dead[1:]
		}
	}

	// Swap one voter from a crowded region for a candidate from an uncovered region.
	if swap := planSpread(alive, candidates, regions); swap != nil {
		changes = append(changes, swap...)
		return changes
	}

	// Demote alive voters above target, from the most crowded region first.
	for len(alive) > target {
		i := pickDemotion(alive, regions)
		if i < 0 {
			break
		}
		changes = append(changes, configChange{changeDemote, alive[i].ID, alive[i].Addr,
			"voters above target"})
		regions[alive[i].Region]--
		alive = slices.Delete(alive, i, i+1)
	}

	return changes
}

func planSpread(alive, candidates []memberState, regions map[string]int) []configChange {
	if len(candidates) == 0 {
		return nil
	}

	best := pickCandidate(candidates, regions)
	if regions[candidates[best].Region] > 0 {
		return nil
	}

	demote := pickDemotion(alive, regions)
	if demote < 0 || regions[alive[demote].Region] < 2 {
		return nil
	}

	promoted := candidates[best]
	return []configChange{
		{changeAddVoter, promoted.ID, promoted.Addr, "spread voters over regions"},
		{changeDemote, alive[demote].ID, alive[demote].Addr, "spread voters over regions"},
	}
}

func regionCounts(states []memberState) map[string]int {
	counts := make(map[string]int)
	for _, s := range states {
		counts[s.Region]++
	}

	return counts
}

// pickCandidate returns the index of the candidate whose region has the fewest alive voters;
// ties keep the sorted order.
func pickCandidate(candidates []memberState, regions map[string]int) int {
	best := 0
	for i, c := range candidates {
		if regions[c.Region] < regions[candidates[best].Region] {
			best = i
		}
	}

	return best
}

// pickDemotion returns the index of the voter, other than Self, whose region has the most
// alive voters, or -1 when only Self is left.
func pickDemotion(alive []memberState, regions map[string]int) int {
	pick := -1
	for i, s := range alive {
		if s.Self {
			continue
		}
		if pick < 0 || regions[s.Region] > regions[alive[pick].Region] {
			pick = i
		}
	}

	return pick
}
