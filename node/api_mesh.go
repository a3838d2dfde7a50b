package node

import (
	"net/http"
	"sort"

	"github.com/hashicorp/raft"

	"github.com/omotenashi/omotenashi/mesh"
	"github.com/omotenashi/omotenashi/node/nearby"
	"github.com/omotenashi/omotenashi/replicate"
)

// MeshStatus is the report of /v1/mesh: the gossip members and each Raft group's state.
type MeshStatus struct {
	Name    string       `json:"name"`
	PeerID  string       `json:"peer_id"`
	Members []MeshMember `json:"members"`
	Groups  []GroupView  `json:"groups"`
	Pending int          `json:"pending_writes"`
	// Sisters are the sister brands' boutiques nearby whose stock this node holds.
	Sisters []nearby.Source `json:"sisters"`
}

// GroupView is one Raft group's state on this node, with members named by their gossip
// names. Match index and lag come from the leader only.
type GroupView struct {
	Group        string            `json:"group"`
	State        string            `json:"state"`
	Term         uint64            `json:"term"`
	Leader       string            `json:"leader"`
	LeaderID     string            `json:"leader_id"`
	AppliedIndex uint64            `json:"applied_index"`
	LastIndex    uint64            `json:"last_index"`
	Members      []GroupMemberView `json:"members"`
}

// GroupMemberView is one member of a Raft group.
type GroupMemberView struct {
	Name       string `json:"name"`
	Role       string `json:"role"`
	MatchIndex uint64 `json:"match_index"`
	Lag        uint64 `json:"lag"`
}

// MeshMember is one boutique in the gossip member list.
type MeshMember struct {
	Name   string `json:"name"`
	Brand  string `json:"brand"`
	Group  string `json:"group"`
	Region string `json:"region"`
	Health string `json:"health"`
	PeerID string `json:"peer_id"`
	HTTP   string `json:"http"`
	// Location is "LAT,LON", empty when the boutique set none.
	Location string `json:"location,omitempty"`
}

func (n *Node) handleMesh(w http.ResponseWriter, r *http.Request) {
	if n.mesh == nil {
		writeError(w, http.StatusNotFound, "this node runs alone: start it with --mesh-key")
		return
	}
	writeJSON(w, http.StatusOK, n.MeshStatus())
}

// MeshStatus returns the node's view of the mesh and of its Raft groups.
func (n *Node) MeshStatus() MeshStatus {
	m := n.mesh
	st := MeshStatus{Name: n.cfg.Name, PeerID: m.host.ID().String()}
	for _, member := range m.gossip.Members() {
		st.Members = append(st.Members, memberView(member))
	}
	sort.Slice(st.Members, func(i, j int) bool { return st.Members[i].Name < st.Members[j].Name })

	names := map[string]string{}
	for _, member := range st.Members {
		names[member.PeerID] = member.Name
	}
	for _, g := range m.groups {
		gs, err := g.Status()
		if err != nil {
			n.log.Warn("group status failed", "group", g.Name(), "error", err)
			continue
		}
		st.Groups = append(st.Groups, groupView(gs, names))
		if pending, err := g.Pending(); err == nil {
			st.Pending += len(pending)
		}
	}
	sort.Slice(st.Groups, func(i, j int) bool { return st.Groups[i].Group < st.Groups[j].Group })
	st.Sisters = []nearby.Source{}
	if m.sisters != nil {
		st.Sisters = m.sisters.Sources()
	}
	return st
}

func groupView(gs replicate.Status, names map[string]string) GroupView {
	name := func(id string) string {
		if n, ok := names[id]; ok {
			return n
		}
		return id
	}
	v := GroupView{Group: gs.Group, State: gs.State.String(), Term: gs.Term,
		Leader: name(string(gs.Leader)), LeaderID: string(gs.Leader),
		AppliedIndex: gs.AppliedIndex, LastIndex: gs.LastLogIndex}
	for _, m := range gs.Members {
		role := "voter"
		if m.Suffrage != raft.Voter {
			role = "non-voter"
		}
		v.Members = append(v.Members, GroupMemberView{Name: name(string(m.ID)), Role: role,
			MatchIndex: m.MatchIndex, Lag: m.Lag})
	}
	sort.Slice(v.Members, func(i, j int) bool { return v.Members[i].Name < v.Members[j].Name })
	return v
}

func memberView(m mesh.Member) MeshMember {
	return MeshMember{Name: m.Name, Brand: m.Meta.Brand, Group: m.Meta.Group,
		Region: m.Meta.Region, Health: m.Health.String(), PeerID: m.Meta.PeerID,
		HTTP: m.Meta.HTTPAddr, Location: m.Meta.Location}
}
