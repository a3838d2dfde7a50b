package mesh

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hashicorp/memberlist"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/pnet"
	ma "github.com/multiformats/go-multiaddr"
)

// DefaultMaxMessageSize is the default limit in bytes on one Call request or response.
const DefaultMaxMessageSize = 4 << 20

// HostConfig configures a libp2p host. Start from DefaultHostConfig, WANHostConfig or
// LoopbackHostConfig and set Identity and MeshKey.
type HostConfig struct {
	// ListenAddrs are the TCP multiaddrs to listen on. libp2p private networks do not
	// support QUIC, so only /tcp addresses are valid. Default /ip4/0.0.0.0/tcp/4001;
	// loopback profile /ip4/127.0.0.1/tcp/0 (any free port).
	ListenAddrs []string

	// Identity is the node's Ed25519 key (see LoadOrCreateIdentity). Required.
	Identity crypto.PrivKey

	// MeshKey is the 32-byte private-network key shared by every node of the mesh (see
	// LoadMeshKey). Required.
	MeshKey pnet.PSK

	// Allow, if set, admits a peer that is not in the host's allow list. Nil admits only
	// peers added with Host.Allow. It runs on every dial and inbound handshake, so it
	// must be fast and must not block.
	Allow func(peer.ID) bool

	// MaxMessageSize is the limit in bytes on one Call request or response body.
	// Default 4 MiB in every profile.
	MaxMessageSize int

	// DialTimeout bounds opening a connection to a peer. Default 5 s; WAN 15 s;
	// loopback 2 s.
	DialTimeout time.Duration

	// CallTimeout bounds a whole Call when its context has no earlier deadline.
	// Default 10 s; WAN 30 s; loopback 5 s.
	CallTimeout time.Duration

	// HandlerTimeout bounds reading a request, running the handler and writing the
	// response on the serving side. Default 10 s; WAN 30 s; loopback 5 s.
	HandlerTimeout time.Duration

	// WAN, if set, delays the libp2p streams of Call and of the Raft stream layers by the
	// region of the remote peer, and fails them when a partition cuts that region off.
	// Nil (the default) adds nothing.
	WAN *WAN

	// Logger receives the host's logs. Default slog.Default().
	Logger *slog.Logger
}

// DefaultHostConfig returns the in-store (LAN) profile: listen on every interface on
// TCP port 4001.
func DefaultHostConfig() HostConfig {
	return HostConfig{
		ListenAddrs:    []string{"/ip4/0.0.0.0/tcp/4001"},
		MaxMessageSize: DefaultMaxMessageSize,
		DialTimeout:    5 * time.Second,
		CallTimeout:    10 * time.Second,
		HandlerTimeout: 10 * time.Second,
		Logger:         slog.Default(),
	}
}

// WANHostConfig returns the cross-store profile: the LAN profile with timeouts sized for
// round trips between continents.
func WANHostConfig() HostConfig {
	cfg := DefaultHostConfig()
	cfg.DialTimeout = 15 * time.Second
	cfg.CallTimeout = 30 * time.Second
	cfg.HandlerTimeout = 30 * time.Second
	return cfg
}

// LoopbackHostConfig returns the profile for tests and the testnet: listen on 127.0.0.1
// on any free port, with short timeouts.
func LoopbackHostConfig() HostConfig {
	cfg := DefaultHostConfig()
	cfg.ListenAddrs = []string{"/ip4/127.0.0.1/tcp/0"}
	cfg.DialTimeout = 2 * time.Second
	cfg.CallTimeout = 5 * time.Second
	cfg.HandlerTimeout = 5 * time.Second
	return cfg
}

// Validate reports the first invalid field of cfg.
func (cfg HostConfig) Validate() error {
	if len(cfg.ListenAddrs) == 0 {
		return errors.New("host config: no listen addresses")
	}
	for _, addr := range cfg.ListenAddrs {
		if err := validateTCPAddr(addr); err != nil {
			return fmt.Errorf("host config: listen address %q: %w", addr, err)
		}
	}

	if cfg.Identity == nil {
		return errors.New("host config: missing identity")
	}
	if len(cfg.MeshKey) != MeshKeySize {
		return fmt.Errorf("host config: mesh key is %d bytes, expected %d",
			len(cfg.MeshKey), MeshKeySize)
	}

	if cfg.MaxMessageSize <= 0 {
		return fmt.Errorf("host config: max message size %d must be positive",
			cfg.MaxMessageSize)
	}
	if cfg.DialTimeout <= 0 || cfg.CallTimeout <= 0 || cfg.HandlerTimeout <= 0 {
		return errors.New("host config: dial, call and handler timeouts must be positive")
	}
	return nil
}

// validateTCPAddr accepts an IP multiaddr over TCP with nothing after the port.
func validateTCPAddr(text string) error {
	addr, err := ma.NewMultiaddr(text)
	if err != nil {
		return err
	}

	protocols := addr.Protocols()
	if len(protocols) != 2 || protocols[1].Code != ma.P_TCP {
		return errors.New("expected /ip4/<ip>/tcp/<port> or /ip6/<ip>/tcp/<port>")
	}
	if protocols[0].Code != ma.P_IP4 && protocols[0].Code != ma.P_IP6 {
		return errors.New("expected /ip4/<ip>/tcp/<port> or /ip6/<ip>/tcp/<port>")
	}
	return nil
}

// GossipConfig configures a memberlist gossip member. Start from DefaultGossipConfig,
// WANGossipConfig or LoopbackGossipConfig and set NodeName, MeshKey and Meta. Timing
// fields map one to one onto memberlist.Config fields of the same name.
type GossipConfig struct {
	// NodeName is the member's name, unique in the mesh. The libp2p peer ID is a good
	// choice. Required.
	NodeName string

	// BindAddr is the IP address that gossip listens on (UDP and TCP). Default 0.0.0.0;
	// loopback 127.0.0.1.
	BindAddr string

	// BindPort is the gossip port (UDP and TCP). Default 7946; loopback 0 (any free port).
	BindPort int

	// AdvertiseAddr is the IP address announced to other members. Empty announces the
	// bind address, or a private address of this host when binding to 0.0.0.0.
	AdvertiseAddr string

	// AdvertisePort is the port announced to other members. 0 announces the bound port.
	AdvertisePort int

	// MeshKey is the mesh's private-network key. The gossip encryption key derives from
	// it, so members without the same key cannot join or read gossip. Required.
	MeshKey pnet.PSK

	// Meta is this member's metadata, sent to every other member. Encoded, it must fit in
	// memberlist's 512-byte limit.
	Meta Meta

	// OnEvent, if set, receives membership events in order on a goroutine of its own, so
	// it may call back into Gossip.
	OnEvent func(Event)

	// TCPTimeout bounds a TCP exchange (join, push/pull, fallback probe). Default 10 s;
	// WAN 30 s; loopback 1 s.
	TCPTimeout time.Duration

	// ProbeInterval is the time between failure-detection probes. Default 1 s; WAN 5 s;
	// loopback 200 ms.
	ProbeInterval time.Duration

	// ProbeTimeout is how long a probe waits for an ack before indirect probes. Default
	// 500 ms; WAN 3 s; loopback 100 ms.
	ProbeTimeout time.Duration

	// GossipInterval is the time between gossip rounds. Default 200 ms; WAN 500 ms;
	// loopback 50 ms.
	GossipInterval time.Duration

	// PushPullInterval is the time between full state exchanges with a random member.
	// Default 30 s; WAN 60 s; loopback 5 s.
	PushPullInterval time.Duration

	// SuspicionMult scales the time a suspect member has to refute before it is declared
	// failed: SuspicionMult × log10(members) × ProbeInterval. Default 4; WAN 6; loopback 3.
	SuspicionMult int

	// SuspicionMaxTimeoutMult caps the suspicion time at this multiple of its minimum
	// while other members have not confirmed the suspicion. Default 6; loopback 2.
	SuspicionMaxTimeoutMult int

	// GossipNodes is the number of members each gossip round sends to. Default 3; WAN 4.
	GossipNodes int

	// DeadMemberRetention is how long Members keeps reporting a member that left or
	// failed. Default 1 h in every profile.
	DeadMemberRetention time.Duration

	// ReconnectInterval is the time between attempts to join each member declared dead,
	// so that the mesh comes together again after a network partition heals. Default
	// 30 s; loopback 1 s.
	ReconnectInterval time.Duration

	// WAN, if set, delays and drops the gossip packets and delays the gossip streams that
	// this member sends, by the region of the destination address. Nil (the default)
	// adds nothing.
	WAN *WAN

	// Logger receives gossip logs, including memberlist's own. Default slog.Default().
	Logger *slog.Logger
}

// DefaultGossipConfig returns the in-store (LAN) profile, with the timings of
// memberlist.DefaultLANConfig (memberlist v0.5.4).
func DefaultGossipConfig() GossipConfig {
	lan := memberlist.DefaultLANConfig()
	return GossipConfig{
		BindAddr:                "0.0.0.0",
		BindPort:                7946,
		TCPTimeout:              lan.TCPTimeout,
		ProbeInterval:           lan.ProbeInterval,
		ProbeTimeout:            lan.ProbeTimeout,
		GossipInterval:          lan.GossipInterval,
		PushPullInterval:        lan.PushPullInterval,
		SuspicionMult:           lan.SuspicionMult,
		SuspicionMaxTimeoutMult: lan.SuspicionMaxTimeoutMult,
		GossipNodes:             lan.GossipNodes,
		DeadMemberRetention:     time.Hour,
		ReconnectInterval:       30 * time.Second,
		Logger:                  slog.Default(),
	}
}

// WANGossipConfig returns the cross-store profile, with the timings of
// memberlist.DefaultWANConfig (memberlist v0.5.4).
func WANGossipConfig() GossipConfig {
	cfg := DefaultGossipConfig()
	wan := memberlist.DefaultWANConfig()
	cfg.TCPTimeout = wan.TCPTimeout
	cfg.ProbeInterval = wan.ProbeInterval
	cfg.ProbeTimeout = wan.ProbeTimeout
	cfg.GossipInterval = wan.GossipInterval
	cfg.PushPullInterval = wan.PushPullInterval
	cfg.SuspicionMult = wan.SuspicionMult
	cfg.GossipNodes = wan.GossipNodes
	return cfg
}

// LoopbackGossipConfig returns the profile for tests and the testnet: bind 127.0.0.1 on
// any free port, with timings faster than memberlist.DefaultLocalConfig so that a failed
// member is declared failed in about a second.
func LoopbackGossipConfig() GossipConfig {
	cfg := DefaultGossipConfig()
	cfg.BindAddr = "127.0.0.1"
	cfg.BindPort = 0
	cfg.TCPTimeout = time.Second
	cfg.ProbeInterval = 200 * time.Millisecond
	cfg.ProbeTimeout = 100 * time.Millisecond
	cfg.GossipInterval = 50 * time.Millisecond
	cfg.PushPullInterval = 5 * time.Second
	cfg.SuspicionMult = 3
	cfg.SuspicionMaxTimeoutMult = 2
	cfg.ReconnectInterval = time.Second
	return cfg
}

// Validate reports the first invalid field of cfg, including metadata too large to send.
func (cfg GossipConfig) Validate() error {
	if cfg.NodeName == "" {
		return errors.New("gossip config: missing node name")
	}
	if cfg.BindPort < 0 || cfg.BindPort > 65535 {
		return fmt.Errorf("gossip config: bind port %d out of range 0-65535", cfg.BindPort)
	}
	if cfg.AdvertisePort < 0 || cfg.AdvertisePort > 65535 {
		return fmt.Errorf("gossip config: advertise port %d out of range 0-65535",
			cfg.AdvertisePort)
	}
	if len(cfg.MeshKey) != MeshKeySize {
		return fmt.Errorf("gossip config: mesh key is %d bytes, expected %d",
			len(cfg.MeshKey), MeshKeySize)
	}

	if cfg.TCPTimeout <= 0 || cfg.ProbeInterval <= 0 || cfg.ProbeTimeout <= 0 ||
		cfg.GossipInterval <= 0 || cfg.PushPullInterval <= 0 || cfg.ReconnectInterval <= 0 {
		return errors.New("gossip config: timeouts and intervals must be positive")
	}
	if cfg.ProbeTimeout >= cfg.ProbeInterval {
		return fmt.Errorf("gossip config: probe timeout %s must be shorter than probe "+
			"interval %s", cfg.ProbeTimeout, cfg.ProbeInterval)
	}
	if cfg.SuspicionMult < 1 || cfg.SuspicionMaxTimeoutMult < 1 || cfg.GossipNodes < 1 {
		return errors.New("gossip config: suspicion multipliers and gossip nodes must be " +
			"at least 1")
	}
	if cfg.DeadMemberRetention < 0 {
		return errors.New("gossip config: dead member retention must not be negative")
	}

	if _, err := encodeMeta(cfg.Meta, false); err != nil {
		return fmt.Errorf("gossip config: %w", err)
	}
	return nil
}
