package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/raft"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/omotenashi/omotenashi/mesh"
	"github.com/omotenashi/omotenashi/node/nearby"
	"github.com/omotenashi/omotenashi/replicate"
)

// forwardProtocol carries writes from a follower to its group's leader.
const forwardProtocol = protocol.ID("/omotenashi/forward/1.0.0")

// meshNode is the node's part of the mesh: its libp2p host, its gossip member and the Raft
// groups of its brand and of its group.
type meshNode struct {
	host   *mesh.Host
	gossip *mesh.Gossip
	groups map[string]*replicate.Group // by group name
	done   chan struct{}
	wg     sync.WaitGroup

	mu    sync.Mutex
	peers map[peer.ID]mesh.Member // members seen by gossip, by libp2p peer

	wan     *mesh.WAN          // simulated WAN from Config.WANFile, nil without one
	stopWAN context.CancelFunc // stops watching Config.WANFile

	sisters  *nearby.Cache // stock of sister boutiques nearby
	joined   chan struct{} // signalled when a member joins, to fetch its stock at once
	stockCut atomic.Bool   // whether the cut of this boutique's stock list was logged
}

// brandGroup and groupGroup name the Raft groups of a node's brand and group.
func brandGroup(brand string) string { return "brand:" + brand }
func groupGroup(group string) string { return "group:" + group }

// startMesh joins the mesh: it starts the libp2p host and gossip, joins the seeds, then
// opens the node's Raft groups, bootstrapping a group that no other member belongs to.
func (n *Node) startMesh() error {
	cfg := n.cfg
	key, err := mesh.LoadMeshKey(cfg.MeshKeyFile)
	if err != nil {
		return err
	}
	identity, err := mesh.LoadOrCreateIdentity(filepath.Join(cfg.DataDir, "p2p.key"))
	if err != nil {
		return err
	}
	m := &meshNode{groups: map[string]*replicate.Group{}, done: make(chan struct{}),
		peers: map[peer.ID]mesh.Member{}, joined: make(chan struct{}, 1)}
	n.mesh = m
	if err := n.startWAN(); err != nil {
		return err
	}

	hcfg := mesh.DefaultHostConfig()
	hcfg.ListenAddrs = cfg.P2PAddrs
	hcfg.Identity, hcfg.MeshKey = identity, key
	hcfg.Allow = m.known
	hcfg.WAN = m.wan
	hcfg.Logger = n.log.With("component", "mesh")
	if m.host, err = mesh.NewHost(hcfg); err != nil {
		return err
	}
	if err := n.startGossip(key); err != nil {
		return err
	}
	if err := n.openGroups(); err != nil {
		return err
	}
	n.startSisters()
	return nil
}

// startWAN loads Config.WANFile, if set, and watches it until the mesh stops.
func (n *Node) startWAN() error {
	m := n.mesh
	if n.cfg.WANFile == "" {
		return nil
	}
	wan, err := mesh.LoadWAN(n.cfg.WANFile)
	if err != nil {
		return err
	}
	wan.SetLogger(n.log)
	wan.SetLocalRegion(n.cfg.Region)

	ctx, cancel := context.WithCancel(context.Background())
	m.wan, m.stopWAN = wan, cancel
	go wan.Watch(ctx, n.cfg.WANFile)
	n.log.Warn("simulated WAN on: mesh traffic is delayed, dropped and partitioned "+
		"by the WAN file", "file", n.cfg.WANFile, "region", n.cfg.Region)
	return nil
}

// startGossip starts the gossip member on cfg.Gossip and joins the seeds.
func (n *Node) startGossip(key []byte) error {
	cfg, m := n.cfg, n.mesh
	host, portText, err := net.SplitHostPort(cfg.Gossip)
	if err != nil {
		return fmt.Errorf("gossip address %q: want HOST:PORT: %w", cfg.Gossip, err)
	}
	port, err := strconv.Atoi(portText)
	if err != nil {
		return fmt.Errorf("gossip port %q: %w", portText, err)
	}

	gcfg := mesh.DefaultGossipConfig()
	if cfg.Profile == "loopback" {
		gcfg = mesh.LoopbackGossipConfig()
	}
	gcfg.NodeName, gcfg.BindAddr, gcfg.BindPort = cfg.Name, host, port
	gcfg.MeshKey = key
	gcfg.Meta = mesh.Meta{Name: cfg.Name, Brand: cfg.Brand, Group: cfg.Group,
		Region: cfg.Region, Scopes: []string{brandGroup(cfg.Brand), groupGroup(cfg.Group)},
		PeerID: m.host.ID().String(), P2PAddrs: m.host.P2PAddrs(), HTTPAddr: cfg.Listen,
		Location: cfg.Location}
	gcfg.OnEvent = n.onMeshEvent
	gcfg.WAN = m.wan
	gcfg.Logger = n.log.With("component", "gossip")
	if m.gossip, err = mesh.NewGossip(gcfg); err != nil {
		return err
	}
	for _, member := range m.gossip.Members() {
		n.learnMember(member)
	}

	// A restarted node rejoins through the members it knew, as well as the seeds given.
	seeds := append(append([]string(nil), cfg.Join...), n.loadPeers()...)
	if len(seeds) == 0 {
		return nil
	}
	joined, err := m.gossip.Join(seeds)
	if err != nil && len(cfg.Join) > 0 {
		return fmt.Errorf("join the mesh through %v: %w", cfg.Join, err)
	}
	if err != nil {
		n.log.Warn("no member saved from the last run responded; starting alone",
			"error", err)
		return nil
	}
	n.log.Info("joined the mesh", "contacted", joined)
	time.Sleep(time.Second) // let membership converge before deciding who bootstraps
	for _, member := range m.gossip.Members() {
		n.learnMember(member)
	}
	return nil
}

// onMeshEvent keeps the peer list and libp2p addresses current as members come and go.
func (n *Node) onMeshEvent(ev mesh.Event) {
	n.log.Info("mesh member "+ev.Kind.String(), "member", ev.Member.Name,
		"region", ev.Member.Meta.Region, "brand", ev.Member.Meta.Brand)
	n.learnMember(ev.Member)
	if ev.Kind == mesh.EventJoin {
		select {
		case n.mesh.joined <- struct{}{}:
		default: // a fetch is already due
		}
	}
}

// learnMember records a gossip member's libp2p identity and addresses, and the gossip
// addresses of the members, for the next start.
func (n *Node) learnMember(member mesh.Member) {
	m := n.mesh
	m.wan.SetAddrRegion(member.Addr, member.Meta.Region)
	id, err := peer.Decode(member.Meta.PeerID)
	if err != nil {
		return
	}
	m.wan.SetRegion(id, member.Meta.Region)
	m.mu.Lock()
	m.peers[id] = member
	addrs := make([]string, 0, len(m.peers))
	for pid, other := range m.peers {
		if pid != m.host.ID() && other.Health == mesh.HealthAlive {
			addrs = append(addrs, other.Addr)
		}
	}
	m.mu.Unlock()
	n.savePeers(addrs)
	if id != m.host.ID() {
		if err := m.host.AddAddrs(id, member.Meta.P2PAddrs); err != nil {
			n.log.Warn("mesh member addresses rejected", "member", member.Name, "error", err)
		}
	}
}

// known reports whether a libp2p peer is a member that gossip introduced: the host admits
// no one else.
func (m *meshNode) known(id peer.ID) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.peers[id]
	return ok
}

// member returns the gossip member of a libp2p peer.
func (m *meshNode) member(id peer.ID) (mesh.Member, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	member, ok := m.peers[id]
	return member, ok
}

// snapshot returns a copy of the members seen by gossip, by libp2p peer.
func (m *meshNode) snapshot() map[peer.ID]mesh.Member {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.peers)
}

// members returns the gossip members of one group as Raft members.
func (m *meshNode) members(group string) []replicate.Member {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []replicate.Member
	for id, member := range m.peers {
		if !hasScope(member.Meta.Scopes, group) {
			continue
		}
		out = append(out, replicate.Member{
			ID: raft.ServerID(id.String()), Addr: raft.ServerAddress(id.String()),
			Region: member.Meta.Region, Alive: member.Health == mesh.HealthAlive,
			Since: member.Since,
		})
	}
	return out
}

func hasScope(scopes []string, group string) bool {
	for _, s := range scopes {
		if s == group {
			return true
		}
	}
	return false
}

// openGroups opens the Raft group of the node's brand and of its group.
func (n *Node) openGroups() error {
	m := n.mesh
	for _, name := range []string{brandGroup(n.cfg.Brand), groupGroup(n.cfg.Group)} {
		others := 0
		for _, member := range m.members(name) {
			if string(member.ID) != m.host.ID().String() && member.Alive {
				others++
			}
		}
		g, err := n.openGroup(name, others == 0)
		if err != nil {
			return err
		}
		m.groups[name] = g
	}
	m.host.Handle(forwardProtocol, n.handleForward)

	m.wg.Add(1)
	go n.reconcileLoop()
	return nil
}

func (n *Node) openGroup(name string, bootstrap bool) (*replicate.Group, error) {
	m := n.mesh
	proto, err := mesh.RaftProtocol(name)
	if err != nil {
		return nil, err
	}
	log := n.log.With("component", "raft")
	transport := raft.NewNetworkTransport(mesh.NewStreamLayer(m.host, proto), 3,
		10*time.Second, slog.NewLogLogger(log.Handler(), slog.LevelDebug).Writer())

	rcfg := replicate.WANConfig()
	if n.cfg.Profile == "loopback" {
		rcfg = replicate.LoopbackConfig()
	}
	g, err := replicate.Open(replicate.GroupConfig{
		Name: name, LocalID: raft.ServerID(m.host.ID().String()), DB: n.store.DB(),
		Dir: n.cfg.DataDir, Transport: transport, Applier: applier{n: n}, Forwarder: n,
		Raft: rcfg, Bootstrap: bootstrap, Voters: n.cfg.Voters, DeadAfter: n.cfg.DeadAfter,
		OnDelivered: n.onDelivered(name), Logger: log,
	})
	if err != nil {
		transport.Close()
		return nil, fmt.Errorf("open group %s: %w", name, err)
	}
	n.log.Info("opened replication group", "group", name, "bootstrap", bootstrap)
	return g, nil
}

// reconcileLoop turns gossip membership into Raft configuration every second; only a
// group's leader acts on it.
func (n *Node) reconcileLoop() {
	m := n.mesh
	defer m.wg.Done()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	leaderless := map[string]time.Time{}
	for {
		select {
		case <-m.done:
			return
		case <-tick.C:
		}
		for name, g := range m.groups {
			n.bootstrapIfStuck(name, g, leaderless)
			if err := g.Reconcile(m.members(name)); err != nil {
				n.log.Debug("reconcile group failed", "group", name, "error", err)
			}
		}
	}
}

// stuckAfter is how long a group without any state or leader waits before the member with
// the lowest peer id bootstraps it. A group that exists elsewhere adds a newcomer within a
// second or two, so a node that waited this long without a leader is in a new group
// whose first members started together, each seeing the others and none bootstrapping.
const stuckAfter = 10 * time.Second

// bootstrapIfStuck bootstraps a group that has no leader, no log and no state here after
// stuckAfter, when this node has the lowest peer id among the group's live members.
func (n *Node) bootstrapIfStuck(name string, g *replicate.Group, since map[string]time.Time) {
	st, err := g.Status()
	if err != nil || st.Leader != "" || st.LastLogIndex > 0 {
		delete(since, name)
		return
	}
	first, ok := since[name]
	if !ok {
		since[name] = time.Now()
		return
	}
	if time.Since(first) < stuckAfter {
		return
	}

	self := n.mesh.host.ID().String()
	for _, member := range n.mesh.members(name) {
		if member.Alive && string(member.ID) < self {
			return // the lowest one bootstraps
		}
	}
	future := g.Raft().BootstrapCluster(raft.Configuration{Servers: []raft.Server{{
		Suffrage: raft.Voter, ID: raft.ServerID(self), Address: raft.ServerAddress(self),
	}}})
	if err := future.Error(); err != nil {
		n.log.Warn("bootstrap of a leaderless group failed", "group", name, "error", err)
		return
	}
	n.log.Info("bootstrapped a group no member had started", "group", name)
	delete(since, name)
}

// forwardRequest is a command a follower sends to its group's leader.
type forwardRequest struct {
	Group   string            `json:"group"`
	Command replicate.Command `json:"command"`
}

// forwardResponse is the leader's outcome of a forwarded command: applied, or rejected.
type forwardResponse struct {
	Rejected string `json:"rejected,omitempty"`
}

// Forward sends a command to the group's leader; it implements replicate.Forwarder.
func (n *Node) Forward(ctx context.Context, leaderID raft.ServerID, _ raft.ServerAddress,
	group string, cmd replicate.Command) error {

	id, err := peer.Decode(string(leaderID))
	if err != nil {
		return fmt.Errorf("leader id %q: %w", leaderID, err)
	}
	req, err := json.Marshal(forwardRequest{Group: group, Command: cmd})
	if err != nil {
		return err
	}
	raw, err := n.mesh.host.Call(ctx, id, forwardProtocol, req)
	if err != nil {
		return err
	}
	var res forwardResponse
	if err := json.Unmarshal(raw, &res); err != nil {
		return fmt.Errorf("decode leader response: %w", err)
	}
	if res.Rejected != "" {
		return &replicate.RejectedError{CommandID: cmd.ID, Reason: res.Rejected}
	}
	return nil
}

// handleForward applies a command forwarded by a follower, on the leader.
func (n *Node) handleForward(ctx context.Context, from peer.ID, req []byte) ([]byte, error) {
	var fr forwardRequest
	if err := json.Unmarshal(req, &fr); err != nil {
		return nil, fmt.Errorf("decode forwarded command: %w", err)
	}
	g := n.mesh.groups[fr.Group]
	if g == nil {
		return nil, fmt.Errorf("this node is not in group %s", fr.Group)
	}

	err := g.HandleForwarded(ctx, fr.Command)
	var rejected *replicate.RejectedError
	if errors.As(err, &rejected) {
		return json.Marshal(forwardResponse{Rejected: rejected.Reason})
	}
	if err != nil {
		return nil, err
	}
	return json.Marshal(forwardResponse{})
}

// stopMesh leaves gossip, then closes each group with its transport and the host, in that
// order: a host closed under a live Raft makes the other members log decode errors.
func (n *Node) stopMesh() {
	m := n.mesh
	if m == nil {
		return
	}
	close(m.done)
	m.wg.Wait()
	if m.stopWAN != nil {
		m.stopWAN()
	}
	if m.gossip != nil {
		m.gossip.Leave(2 * time.Second)
	}
	for name, g := range m.groups {
		if err := g.Close(); err != nil {
			n.log.Warn("close replication group failed", "group", name, "error", err)
		}
	}
	if m.gossip != nil {
		m.gossip.Shutdown()
	}
	if m.host != nil {
		m.host.Close()
	}
}

// peersFile lists, one per line, the gossip addresses of the members last seen alive.
const peersFile = "mesh-peers"

// savePeers records the gossip addresses of the live members; a failure is logged.
func (n *Node) savePeers(addrs []string) {
	if len(addrs) == 0 {
		return
	}
	sort.Strings(addrs)
	path := filepath.Join(n.cfg.DataDir, peersFile)
	if err := os.WriteFile(path, []byte(strings.Join(addrs, "\n")+"\n"), 0o600); err != nil {
		n.log.Warn("save mesh peers failed", "file", path, "error", err)
	}
}

// loadPeers returns the gossip addresses saved by the last run.
func (n *Node) loadPeers() []string {
	data, err := os.ReadFile(filepath.Join(n.cfg.DataDir, peersFile))
	if err != nil {
		return nil
	}
	return strings.Fields(string(data))
}
