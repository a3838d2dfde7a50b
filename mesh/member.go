package mesh

import "time"

// Health is a gossip member's state as this node last saw it.
//
// NOTE: memberlist v0.5.4 has no public view of the suspect state (Node.State is never
// set and EventDelegate has no suspect hook), so a suspect member reads as HealthAlive
// until memberlist declares it dead.
type Health int

// Member health values.
const (
	HealthAlive Health = iota // acknowledges probes, or is suspected but not yet dead
	HealthLeft                // left gracefully with Gossip.Leave
	HealthDead                // stopped acknowledging probes and was declared dead
)

// String returns the health as a lowercase word.
func (h Health) String() string {
	switch h {
	case HealthAlive:
		return "alive"
	case HealthLeft:
		return "left"
	case HealthDead:
		return "dead"
	default:
		return "unknown"
	}
}

// Member is one gossip member with its metadata and health.
type Member struct {
	Name   string    // unique member name (GossipConfig.NodeName)
	Addr   string    // gossip address, host:port
	Meta   Meta      // metadata; zero if the member sent metadata that cannot be decoded
	Health Health    // state as last seen
	Since  time.Time // when this node saw the health change
}

// EventKind is the kind of a membership change.
type EventKind int

// Membership event kinds.
const (
	EventJoin   EventKind = iota // a member appeared or came back
	EventUpdate                  // a member changed its metadata
	EventLeave                   // a member left gracefully
	EventFail                    // a member was declared dead
)

// String returns the event kind as a lowercase word.
func (k EventKind) String() string {
	switch k {
	case EventJoin:
		return "join"
	case EventUpdate:
		return "update"
	case EventLeave:
		return "leave"
	case EventFail:
		return "fail"
	default:
		return "unknown"
	}
}

// Event is one membership change, with the member as it was after the change.
type Event struct {
	Kind   EventKind
	Member Member
}
