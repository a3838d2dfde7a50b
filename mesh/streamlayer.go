package mesh

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/raft"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
)

// RaftProtocol returns the libp2p protocol ID of a Raft group,
// /omotenashi/raft/<group>/1.0.0. The group name must be non-empty printable ASCII
// without spaces or slashes, such as "brand:maison".
func RaftProtocol(group string) (protocol.ID, error) {
	if group == "" {
		return "", fmt.Errorf("raft group name is empty")
	}
	for _, r := range group {
		if r <= ' ' || r > '~' || r == '/' {
			return "", fmt.Errorf("raft group name %q: character %q not allowed", group, r)
		}
	}
	return protocol.ID("/omotenashi/raft/" + group + "/1.0.0"), nil
}

// StreamLayer is a raft.StreamLayer over libp2p streams of one protocol. A Raft server
// address is the peer ID of its host, as a string. Wrap the layer with
// raft.NewNetworkTransport; closing that transport closes the layer. The host's
// HostConfig.WAN, if set, delays and partitions the layer's streams.
type StreamLayer struct {
	host     *Host
	protocol protocol.ID
	incoming chan net.Conn
	done     chan struct{}
	once     sync.Once
}

var _ raft.StreamLayer = (*StreamLayer)(nil)

// NewStreamLayer registers proto on host and returns the layer that accepts and opens
// its streams. Use one protocol per Raft group (see RaftProtocol); one host can carry
// several groups.
func NewStreamLayer(host *Host, proto protocol.ID) *StreamLayer {
	layer := &StreamLayer{
		host:     host,
		protocol: proto,
		incoming: make(chan net.Conn),
		done:     make(chan struct{}),
	}
	host.host.SetStreamHandler(proto, layer.handleStream)
	return layer
}

// handleStream passes an inbound stream to Accept, or resets it once the layer is closed.
func (l *StreamLayer) handleStream(stream network.Stream) {
	wan := l.host.cfg.WAN
	if err := wan.reachPeer(stream.Conn().RemotePeer()); err != nil {
		stream.Reset()
		return
	}

	select {
	case l.incoming <- newStreamConn(wan.wrapStream(stream)):
	case <-l.done:
		stream.Reset()
	}
}

// Accept waits for the next inbound stream. It returns ErrClosed after Close.
func (l *StreamLayer) Accept() (net.Conn, error) {
	select {
	case conn := <-l.incoming:
		return conn, nil
	case <-l.done:
		return nil, fmt.Errorf("accept on %s: %w", l.protocol, ErrClosed)
	}
}

// Close unregisters the protocol and unblocks Accept. It is safe to call more than once.
func (l *StreamLayer) Close() error {
	l.once.Do(func() {
		close(l.done)
		l.host.host.RemoveStreamHandler(l.protocol)
	})
	return nil
}

// Addr returns the host's peer ID, which is this server's raft.ServerAddress.
func (l *StreamLayer) Addr() net.Addr {
	return peerAddr(l.host.ID())
}

// Dial opens a stream to the peer whose ID is address. The peer's network addresses must
// be known (Host.AddAddrs) or it must already be connected.
func (l *StreamLayer) Dial(address raft.ServerAddress, timeout time.Duration) (net.Conn,
	error) {
	id, err := peer.Decode(string(address))
	if err != nil {
		return nil, fmt.Errorf("dial raft server %q: address is not a peer ID: %w",
			address, err)
	}

	wan := l.host.cfg.WAN
	if err := wan.reachPeer(id); err != nil {
		return nil, fmt.Errorf("dial raft server %s on %s: %w", id, l.protocol, err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	stream, err := l.host.host.NewStream(ctx, id, l.protocol)
	if err != nil {
		return nil, fmt.Errorf("dial raft server %s on %s: %w", id, l.protocol, err)
	}
	return newStreamConn(wan.wrapStream(stream)), nil
}

// peerAddr is a peer ID used as a net.Addr.
type peerAddr peer.ID

// Network returns "libp2p".
func (a peerAddr) Network() string { return "libp2p" }

// String returns the peer ID in its usual base58 form.
func (a peerAddr) String() string { return peer.ID(a).String() }

// streamConn is a libp2p stream used as a net.Conn. Read, Write, Close and the deadlines
// come from the stream.
type streamConn struct {
	network.Stream
}

func newStreamConn(stream network.Stream) net.Conn {
	return streamConn{Stream: stream}
}

// LocalAddr returns the local peer ID.
func (c streamConn) LocalAddr() net.Addr {
	return peerAddr(c.Conn().LocalPeer())
}

// RemoteAddr returns the remote peer ID.
func (c streamConn) RemoteAddr() net.Addr {
	return peerAddr(c.Conn().RemotePeer())
}

// String names both ends, for logs.
func (c streamConn) String() string {
	return strings.Join([]string{c.LocalAddr().String(), c.RemoteAddr().String()}, "->")
}
