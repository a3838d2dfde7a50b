package mesh

import (
	"log/slog"
	"sync"
	"time"

	"github.com/hashicorp/memberlist"
)

// gossipState is the memberlist Delegate and EventDelegate of a Gossip. It stores the
// local metadata, the members seen so far and the queue of events for OnEvent.
type gossipState struct {
	log       *slog.Logger
	retention time.Duration

	mu         sync.Mutex
	meta       Meta
	metaBytes  []byte
	memberList map[string]Member

	events *eventQueue
}

var (
	_ memberlist.Delegate      = (*gossipState)(nil)
	_ memberlist.EventDelegate = (*gossipState)(nil)
)

func newGossipState(cfg GossipConfig, logger *slog.Logger) *gossipState {
	// Validate has already checked that the metadata encodes.
	metaBytes, _ := encodeMeta(cfg.Meta, false)
	return &gossipState{
		log:        logger,
		retention:  cfg.DeadMemberRetention,
		meta:       cfg.Meta,
		metaBytes:  metaBytes,
		memberList: make(map[string]Member),
		events:     newEventQueue(cfg.OnEvent),
	}
}

func (s *gossipState) setMeta(meta Meta, leaving bool) error {
	encoded, err := encodeMeta(meta, leaving)
	if err != nil {
		return err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.meta = meta
	s.metaBytes = encoded
	return nil
}

func (s *gossipState) setLeaving() error {
	s.mu.Lock()
	meta := s.meta
	s.mu.Unlock()
	return s.setMeta(meta, true)
}

func (s *gossipState) stop() {
	s.events.stop()
}

// members returns the known members, dropping those that left or died longer ago than
// the retention time.
func (s *gossipState) members() []Member {
	s.mu.Lock()
	defer s.mu.Unlock()

	now := time.Now()
	list := make([]Member, 0, len(s.memberList))
	for name, member := range s.memberList {
		expired := member.Health != HealthAlive && now.Sub(member.Since) > s.retention
		if expired {
			delete(s.memberList, name)
			continue
		}
		list = append(list, member)
	}
	return list
}

// NodeMeta returns the encoded local metadata. Its size was checked when it was set.
func (s *gossipState) NodeMeta(limit int) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.metaBytes) > limit {
		s.log.Error("gossip metadata over memberlist limit, sending none",
			"bytes", len(s.metaBytes), "limit", limit)
		return nil
	}
	return s.metaBytes
}

// NotifyMsg ignores user messages, which this package does not send.
func (s *gossipState) NotifyMsg([]byte) {}

// GetBroadcasts returns no user broadcasts.
func (s *gossipState) GetBroadcasts(int, int) [][]byte { return nil }

// LocalState returns no user state for push/pull exchanges.
func (s *gossipState) LocalState(bool) []byte { return nil }

// MergeRemoteState ignores user state, which this package does not send.
func (s *gossipState) MergeRemoteState([]byte, bool) {}

// NotifyJoin records a member that appeared or came back.
func (s *gossipState) NotifyJoin(node *memberlist.Node) {
	s.record(node, EventJoin)
}

// NotifyUpdate records a member's new metadata.
func (s *gossipState) NotifyUpdate(node *memberlist.Node) {
	s.record(node, EventUpdate)
}

// NotifyLeave records a member that left or died. memberlist calls it for both, so the
// leaving flag that Gossip.Leave sets in the member's last metadata distinguishes them.
func (s *gossipState) NotifyLeave(node *memberlist.Node) {
	s.record(node, EventFail)
}

// record updates the member table and queues the event. memberlist calls it with its
// node lock held, so it must not call back into memberlist.
func (s *gossipState) record(node *memberlist.Node, kind EventKind) {
	meta, leaving, err := decodeMeta(node.Meta)
	if err != nil {
		s.log.Warn("member sent invalid metadata", "member", node.Name, "error", err)
	}

	health := HealthAlive
	if kind == EventFail {
		health = HealthDead
		if leaving {
			kind = EventLeave
			health = HealthLeft
		}
	}

	member := Member{
		Name:   node.Name,
		Addr:   node.Address(),
		Meta:   meta,
		Health: health,
		Since:  time.Now(),
	}
	s.mu.Lock()
	if previous, ok := s.memberList[node.Name]; ok && previous.Health == health {
		member.Since = previous.Since
	}
	s.memberList[node.Name] = member
	s.mu.Unlock()

	s.log.Debug("member changed", "member", node.Name, "event", kind.String(),
		"health", health.String())
	s.events.push(Event{Kind: kind, Member: member})
}
