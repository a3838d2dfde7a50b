package node

import (
	"net/http"
	"sort"

	"github.com/omotenashi/omotenashi/mesh"
	"github.com/omotenashi/omotenashi/replicate"
)

// MeshStatus is what /v1/mesh reports: the members gossip sees and each Raft group's view.
type MeshStatus struct {
	Name    string             `json:"name"`
	PeerID  string             `json:"peer_id"`
	Members []MeshMember       `json:"members"`
	Groups  []replicate.Status `json:"groups"`
	Pending int                `json:"pending_writes"`
}

// MeshMember is one boutique as gossip sees it.
type MeshMember struct {
	Name   string `json:"name"`
	Brand  string `json:"brand"`
	Group  string `json:"group"`
	Region string `json:"region"`
	Health string `json:"health"`
	PeerID string `json:"peer_id"`
	HTTP   string `json:"http"`
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

	for _, g := range m.groups {
		gs, err := g.Status()
		if err != nil {
			n.log.Warn("group status failed", "group", g.Name(), "error", err)
			continue
		}
		st.Groups = append(st.Groups, gs)
		if pending, err := g.Pending(); err == nil {
			st.Pending += len(pending)
		}
	}
	sort.Slice(st.Groups, func(i, j int) bool { return st.Groups[i].Group < st.Groups[j].Group })
	return st
}

func memberView(m mesh.Member) MeshMember {
	return MeshMember{Name: m.Name, Brand: m.Meta.Brand, Group: m.Meta.Group,
		Region: m.Meta.Region, Health: m.Health.String(), PeerID: m.Meta.PeerID,
		HTTP: m.Meta.HTTPAddr}
}
