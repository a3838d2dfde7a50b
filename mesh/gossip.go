package mesh

import (
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
	"log"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/memberlist"
	"github.com/libp2p/go-libp2p/core/pnet"
)

// gossipKeyLabel is the HKDF info string for the gossip key. Changing it changes the key
// on every node, so nodes with different labels cannot gossip together.
const gossipKeyLabel = "omotenashi mesh gossip key v1"

// Gossip is a memberlist member: it finds the other nodes, spreads each node's Meta and
// tracks their health. Gossip is encrypted with a key derived from the mesh key.
type Gossip struct {
	list   *memberlist.Memberlist
	state  *gossipState
	log    *slog.Logger
	mu     sync.Mutex // serializes Leave, UpdateMeta and Shutdown
	left   bool
	closed bool
	stop   chan struct{} // closed by Shutdown to end reconnectLoop
}

// NewGossip starts a gossip member on cfg.BindAddr:cfg.BindPort. Its member list
// contains only itself until Join.
func NewGossip(cfg GossipConfig) (*Gossip, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	logger := cfg.Logger.With("component", "gossip", "node", cfg.NodeName)

	key, err := deriveGossipKey(cfg.MeshKey)
	if err != nil {
		return nil, err
	}

	state := newGossipState(cfg, logger)
	mc := memberlistConfig(cfg, key, state, logger)
	var transport *wanTransport
	if cfg.WAN != nil {
		if transport, err = useWANTransport(mc, cfg); err != nil {
			state.stop()
			return nil, err
		}
	}

	list, err := memberlist.Create(mc)
	if err != nil {
		state.stop()
		if transport != nil {
			transport.Shutdown()
		}
		return nil, fmt.Errorf("start gossip on %s:%d: %w", cfg.BindAddr, cfg.BindPort, err)
	}

	g := &Gossip{list: list, state: state, log: logger, stop: make(chan struct{})}
	go g.reconnectLoop(cfg.ReconnectInterval, g.stop)
	g.log.Info("gossip started", "addr", g.Addr())
	return g, nil
}

// deriveGossipKey derives the 32-byte AES-256 key for memberlist's keyring from the mesh
// key with HKDF-SHA256, so the mesh key itself never leaves libp2p.
func deriveGossipKey(meshKey pnet.PSK) ([]byte, error) {
	key, err := hkdf.Key(sha256.New, meshKey, nil, gossipKeyLabel, 32)
	if err != nil {
		return nil, fmt.Errorf("derive gossip key: %w", err)
	}
	return key, nil
}

func memberlistConfig(cfg GossipConfig, key []byte, state *gossipState,
	logger *slog.Logger) *memberlist.Config {
	mc := memberlist.DefaultLANConfig()
	mc.Name = cfg.NodeName
	mc.BindAddr = cfg.BindAddr
	mc.BindPort = cfg.BindPort
	mc.AdvertiseAddr = cfg.AdvertiseAddr
	mc.AdvertisePort = cfg.AdvertisePort
	if mc.AdvertisePort == 0 {
		mc.AdvertisePort = cfg.BindPort
	}

	mc.SecretKey = key
	mc.GossipVerifyIncoming = true
	mc.GossipVerifyOutgoing = true

	mc.TCPTimeout = cfg.TCPTimeout
	mc.ProbeInterval = cfg.ProbeInterval
	mc.ProbeTimeout = cfg.ProbeTimeout
	mc.GossipInterval = cfg.GossipInterval
	mc.PushPullInterval = cfg.PushPullInterval
	mc.SuspicionMult = cfg.SuspicionMult
	mc.SuspicionMaxTimeoutMult = cfg.SuspicionMaxTimeoutMult
	mc.GossipNodes = cfg.GossipNodes

	mc.Delegate = state
	mc.Events = state
	mc.Logger = log.New(slogWriter{logger: logger}, "", 0)
	return mc
}

// useWANTransport gives mc a transport that applies cfg.WAN. Memberlist picks the port
// for BindPort 0 only with its own transport, so this sets the port the transport got.
func useWANTransport(mc *memberlist.Config, cfg GossipConfig) (*wanTransport, error) {
	transport, err := newWANTransport(cfg, cfg.WAN, mc.Logger)
	if err != nil {
		return nil, err
	}

	mc.Transport = transport
	mc.BindPort = transport.GetAutoBindPort()
	if cfg.AdvertisePort == 0 {
		mc.AdvertisePort = mc.BindPort
	}
	return transport, nil
}

// Join contacts the seeds (host:port gossip addresses) and merges their view of the
// mesh. It returns the number of seeds reached, and an error only if none was reached.
func (g *Gossip) Join(seeds []string) (int, error) {
	reached, err := g.list.Join(seeds)
	if err != nil {
		return reached, fmt.Errorf("join gossip through %s: %w", strings.Join(seeds, ", "), err)
	}
	g.log.Info("joined gossip", "seeds_reached", reached)
	return reached, nil
}

// Addr returns the gossip address that other members use to reach this one, host:port.
func (g *Gossip) Addr() string {
	return g.list.LocalNode().Address()
}

// Members returns every member known to this node, itself included, sorted by name.
// Members that left or died stay listed for GossipConfig.DeadMemberRetention.
func (g *Gossip) Members() []Member {
	members := g.state.members()
	slices.SortFunc(members, func(a, b Member) int { return strings.Compare(a.Name, b.Name) })
	return members
}

// UpdateMeta replaces this member's metadata and waits up to timeout for the change to
// be broadcast.
func (g *Gossip) UpdateMeta(meta Meta, timeout time.Duration) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return ErrClosed
	}

	if err := g.state.setMeta(meta, g.left); err != nil {
		return fmt.Errorf("update gossip metadata: %w", err)
	}
	if err := g.list.UpdateNode(timeout); err != nil {
		return fmt.Errorf("update gossip metadata: %w", err)
	}
	return nil
}

// Leave announces that this member leaves, waiting up to timeout for each of two
// broadcasts: metadata marked as leaving, then memberlist's leave message. The other
// members then report it as HealthLeft instead of HealthDead. Call Shutdown afterwards.
func (g *Gossip) Leave(timeout time.Duration) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return ErrClosed
	}
	if g.left {
		return nil
	}

	if err := g.state.setLeaving(); err != nil {
		return fmt.Errorf("leave gossip: %w", err)
	}
	if err := g.list.UpdateNode(timeout); err != nil {
		g.log.Warn("leaving flag not broadcast, others may report this node as dead",
			"error", err)
	}
	if err := g.list.Leave(timeout); err != nil {
		return fmt.Errorf("leave gossip: %w", err)
	}

	g.left = true
	g.log.Info("left gossip")
	return nil
}

// Shutdown stops gossip at once and stops delivering events. Without an earlier Leave,
// the other members declare this one dead after their failure-detection timeout.
func (g *Gossip) Shutdown() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return nil
	}

	g.closed = true
	close(g.stop)
	err := g.list.Shutdown()
	g.state.stop()
	if err != nil {
		return fmt.Errorf("shut down gossip: %w", err)
	}
	g.log.Info("gossip stopped")
	return nil
}
