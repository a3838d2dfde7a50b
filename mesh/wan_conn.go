package mesh

import (
	"net"

	"github.com/libp2p/go-libp2p/core/network"
)

// wanStream is a libp2p stream whose writes, CloseWrite and Close reach the remote peer
// after the WAN delay to its region. Reads and deadlines are the stream's own.
type wanStream struct {
	network.Stream
	queue *delayQueue
}

// wrapStream returns stream with its writes delayed by the WAN, or stream itself when w
// is nil.
func (w *WAN) wrapStream(stream network.Stream) network.Stream {
	if w == nil {
		return stream
	}
	dest := wanDest{peer: stream.Conn().RemotePeer()}
	return &wanStream{
		Stream: stream,
		queue:  newDelayQueue(w, dest, stream.Write, stream.Reset),
	}
}

// Write queues p and returns before the peer receives it.
func (s *wanStream) Write(p []byte) (int, error) {
	return s.queue.write(p)
}

// CloseWrite closes the write side once the bytes written before it are delivered.
func (s *wanStream) CloseWrite() error {
	return s.queue.then(s.Stream.CloseWrite, false)
}

// Close stops reading at once and closes the stream once the bytes written before it
// are delivered.
func (s *wanStream) Close() error {
	s.Stream.CloseRead()
	return s.queue.then(s.Stream.Close, true)
}

// Reset discards the undelivered bytes and resets the stream at once.
func (s *wanStream) Reset() error {
	s.queue.stop(network.ErrReset)
	return s.Stream.Reset()
}

// ResetWithError discards the undelivered bytes and resets the stream with an error
// code at once.
func (s *wanStream) ResetWithError(code network.StreamErrorCode) error {
	s.queue.stop(network.ErrReset)
	return s.Stream.ResetWithError(code)
}

// wanConn is a gossip TCP connection whose writes and Close reach the remote member
// after the WAN delay to its region. Reads and deadlines are the connection's own.
type wanConn struct {
	net.Conn
	queue *delayQueue
}

// wrapConn returns conn, opened to the gossip address addr, with its writes delayed by
// the WAN.
func (w *WAN) wrapConn(conn net.Conn, addr string) net.Conn {
	return &wanConn{
		Conn:  conn,
		queue: newDelayQueue(w, wanDest{addr: addr}, conn.Write, conn.Close),
	}
}

// Write queues p and returns before the remote member receives it.
func (c *wanConn) Write(p []byte) (int, error) {
	return c.queue.write(p)
}

// Close stops reading at once, when the connection supports it, and closes the
// connection once the bytes written before it are delivered.
func (c *wanConn) Close() error {
	if reader, ok := c.Conn.(interface{ CloseRead() error }); ok {
		reader.CloseRead()
	}
	return c.queue.then(c.Conn.Close, true)
}
