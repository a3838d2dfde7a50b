package mesh

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	"github.com/libp2p/go-libp2p/p2p/muxer/yamux"
	"github.com/libp2p/go-libp2p/p2p/security/noise"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
	ma "github.com/multiformats/go-multiaddr"
)

// Host is a libp2p host on the mesh's private network that talks only to allowed peers.
type Host struct {
	host   host.Host
	gater  *allowGater
	cfg    HostConfig
	log    *slog.Logger
	ctx    context.Context // cancelled by Close, parent of every handler's context
	cancel context.CancelFunc
	closed atomic.Bool
}

// NewHost starts a libp2p host with TCP, the mesh key, Noise encryption, yamux and the
// allow-list gater. Relays, QUIC, NAT port mapping and public discovery stay off.
func NewHost(cfg HostConfig) (*Host, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}

	gater := newAllowGater(cfg.Allow)
	p2pHost, err := libp2p.New(
		libp2p.Identity(cfg.Identity),
		libp2p.ListenAddrStrings(cfg.ListenAddrs...),
		libp2p.PrivateNetwork(cfg.MeshKey),
		libp2p.Transport(tcp.NewTCPTransport),
		libp2p.Security(noise.ID, noise.New),
		libp2p.Muxer(yamux.ID, yamux.DefaultTransport),
		libp2p.ConnectionGater(gater),
		libp2p.DisableRelay(),
		libp2p.DisableMetrics(),
		libp2p.WithDialTimeout(cfg.DialTimeout),
	)
	if err != nil {
		return nil, fmt.Errorf("start libp2p host on %v: %w", cfg.ListenAddrs, err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	h := &Host{
		host:   p2pHost,
		gater:  gater,
		cfg:    cfg,
		log:    cfg.Logger.With("component", "mesh", "peer_id", p2pHost.ID().String()),
		ctx:    ctx,
		cancel: cancel,
	}
	h.log.Info("libp2p host started", "addrs", h.P2PAddrs())
	return h, nil
}

// ID returns the host's peer ID, derived from its identity key.
func (h *Host) ID() peer.ID {
	return h.host.ID()
}

// P2PAddrs returns the multiaddrs the host listens on, without the /p2p/ part, in the
// form AddAddrs takes (for example to advertise in Meta.P2PAddrs).
func (h *Host) P2PAddrs() []string {
	addrs := h.host.Addrs()
	texts := make([]string, 0, len(addrs))
	for _, addr := range addrs {
		texts = append(texts, addr.String())
	}
	return texts
}

// AddAddrs stores addresses of a peer (for example from its gossip metadata) so that
// Call and the Raft stream layer can dial it. An address may end in /p2p/<id>, which
// must then be the same peer. The addresses expire after an hour unless added again.
func (h *Host) AddAddrs(id peer.ID, addrs []string) error {
	parsed := make([]ma.Multiaddr, 0, len(addrs))
	for _, text := range addrs {
		addr, err := ma.NewMultiaddr(text)
		if err != nil {
			return fmt.Errorf("add address %q of peer %s: %w", text, id, err)
		}

		transport, owner := peer.SplitAddr(addr)
		if owner != "" && owner != id {
			return fmt.Errorf("add address %q of peer %s: address names peer %s",
				text, id, owner)
		}
		parsed = append(parsed, transport)
	}

	h.host.Peerstore().AddAddrs(id, parsed, peerstore.AddressTTL)
	return nil
}

// Allow admits a peer, so that it may connect to this host and this host may dial it.
func (h *Host) Allow(id peer.ID) {
	h.gater.allow(id)
}

// Disallow stops admitting a peer and closes any connection to it. HostConfig.Allow may
// still admit it.
func (h *Host) Disallow(id peer.ID) {
	h.gater.disallow(id)
	if h.gater.isAllowed(id) {
		return
	}
	if err := h.host.Network().ClosePeer(id); err != nil {
		h.log.Warn("close connections to disallowed peer failed", "peer", id, "error", err)
	}
}

// Allowed reports whether the gater admits a peer.
func (h *Host) Allowed(id peer.ID) bool {
	return h.gater.isAllowed(id)
}

// Close stops the host, closing every connection and cancelling running handlers.
func (h *Host) Close() error {
	if h.closed.Swap(true) {
		return nil
	}

	h.cancel()
	if err := h.host.Close(); err != nil {
		return fmt.Errorf("close libp2p host %s: %w", h.ID(), err)
	}
	h.log.Info("libp2p host stopped")
	return nil
}
