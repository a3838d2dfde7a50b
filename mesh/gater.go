package mesh

import (
	"sync"

	"github.com/libp2p/go-libp2p/core/connmgr"
	"github.com/libp2p/go-libp2p/core/control"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

// allowGater is a libp2p connection gater that admits only allowed peer IDs.
//
// The mesh key and the gater guard different things. The mesh key (libp2p pnet)
// encrypts every TCP connection with a pre-shared key before any libp2p handshake, so a
// process without the key cannot complete a handshake at all. It is a shared password
// for the whole mesh: every boutique has it, and it does not identify the node on the
// other end. The gater runs after the Noise handshake, which proves that the remote
// holds the private key of the peer ID it claims. The gater then rejects every peer ID
// that the caller has not allowed, normally the members of the node's groups. So a
// process with a leaked mesh key reaches the TCP port, but with a forged or unknown
// identity it is disconnected before it can open a stream.
type allowGater struct {
	mu      sync.RWMutex
	allowed map[peer.ID]struct{}
	extra   func(peer.ID) bool // HostConfig.Allow, may be nil
}

var _ connmgr.ConnectionGater = (*allowGater)(nil)

func newAllowGater(extra func(peer.ID) bool) *allowGater {
	return &allowGater{allowed: make(map[peer.ID]struct{}), extra: extra}
}

func (g *allowGater) allow(id peer.ID) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.allowed[id] = struct{}{}
}

func (g *allowGater) disallow(id peer.ID) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.allowed, id)
}

func (g *allowGater) isAllowed(id peer.ID) bool {
	g.mu.RLock()
	_, ok := g.allowed[id]
	g.mu.RUnlock()
	if ok {
		return true
	}
	return g.extra != nil && g.extra(id)
}

// InterceptPeerDial keeps this host from dialing peers it would not accept.
func (g *allowGater) InterceptPeerDial(id peer.ID) bool {
	return g.isAllowed(id)
}

// InterceptAddrDial admits every address, because the peer check has already run.
func (g *allowGater) InterceptAddrDial(peer.ID, ma.Multiaddr) bool {
	return true
}

// InterceptAccept admits every inbound connection, because the remote peer ID is not
// known before the security handshake.
func (g *allowGater) InterceptAccept(network.ConnMultiaddrs) bool {
	return true
}

// InterceptSecured checks the authenticated remote peer ID in both directions.
func (g *allowGater) InterceptSecured(_ network.Direction, id peer.ID,
	_ network.ConnMultiaddrs) bool {
	return g.isAllowed(id)
}

// InterceptUpgraded admits every connection that passed InterceptSecured.
func (g *allowGater) InterceptUpgraded(network.Conn) (bool, control.DisconnectReason) {
	return true, 0
}
