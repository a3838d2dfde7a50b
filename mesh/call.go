package mesh

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
)

// maxErrorMessage caps the error text a handler sends back, in bytes.
const maxErrorMessage = 1024

// Handler serves one request of a protocol registered with Host.Handle. The context
// ends after HostConfig.HandlerTimeout or when the host closes. The text of a returned
// error is sent to the caller, so it must not contain secrets or personal data.
type Handler func(ctx context.Context, from peer.ID, req []byte) ([]byte, error)

// RemoteError is an error that the remote handler returned, or that the remote host
// reported before running it (for example a request over its size limit).
type RemoteError struct {
	Peer     peer.ID
	Protocol protocol.ID
	Message  string
}

// Error formats the remote peer, the protocol and the remote message.
func (e *RemoteError) Error() string {
	return fmt.Sprintf("peer %s on %s: %s", e.Peer, e.Protocol, e.Message)
}

// Handle registers handler for a protocol, replacing any earlier one. Each request opens
// its own stream, which carries one request frame and one response or error frame.
func (h *Host) Handle(proto protocol.ID, handler Handler) {
	h.host.SetStreamHandler(proto, func(stream network.Stream) {
		h.serve(stream, proto, handler)
	})
}

// RemoveHandler unregisters the handler of a protocol.
func (h *Host) RemoveHandler(proto protocol.ID) {
	h.host.RemoveStreamHandler(proto)
}

// Call sends req to the handler of proto on peer `to` and returns its response. A
// handler's error comes back as a *RemoteError. The call ends at the context's deadline
// or after HostConfig.CallTimeout, whichever comes first.
func (h *Host) Call(ctx context.Context, to peer.ID, proto protocol.ID,
	req []byte) ([]byte, error) {
	if h.closed.Load() {
		return nil, ErrClosed
	}
	if len(req) > h.cfg.MaxMessageSize {
		return nil, fmt.Errorf("call %s on %s: request of %d bytes: %w",
			proto, to, len(req), ErrFrameTooLarge)
	}
	if !h.gater.isAllowed(to) {
		return nil, fmt.Errorf("call %s on %s: %w", proto, to, ErrPeerNotAllowed)
	}

	ctx, cancel := context.WithTimeout(ctx, h.cfg.CallTimeout)
	defer cancel()

	resp, err := h.exchange(ctx, to, proto, req)
	if err != nil && contextEnded(ctx) {
		// The stream deadline can fire a moment before the context reports it.
		cause := ctx.Err()
		if cause == nil {
			cause = context.DeadlineExceeded
		}
		return nil, fmt.Errorf("call %s on %s: %w (%w)", proto, to, cause, err)
	}
	if err != nil {
		return nil, fmt.Errorf("call %s on %s: %w", proto, to, err)
	}
	return resp, nil
}

// exchange opens a stream, writes the request and reads the reply. The stream is reset
// when the context ends, which unblocks any read or write in progress.
func (h *Host) exchange(ctx context.Context, to peer.ID, proto protocol.ID,
	req []byte) ([]byte, error) {
	if err := h.cfg.WAN.reachPeer(to); err != nil {
		return nil, fmt.Errorf("open stream: %w", err)
	}
	stream, err := h.host.NewStream(ctx, to, proto)
	if err != nil {
		return nil, fmt.Errorf("open stream: %w", err)
	}
	stream = h.cfg.WAN.wrapStream(stream)
	stop := context.AfterFunc(ctx, func() { stream.Reset() })
	defer stop()

	if deadline, ok := ctx.Deadline(); ok {
		if err := stream.SetDeadline(deadline); err != nil {
			stream.Reset()
			return nil, fmt.Errorf("set stream deadline: %w", err)
		}
	}

	if err := writeFrame(stream, frameRequest, req); err != nil {
		stream.Reset()
		return nil, fmt.Errorf("write request: %w", err)
	}
	if err := stream.CloseWrite(); err != nil {
		stream.Reset()
		return nil, fmt.Errorf("close request side: %w", err)
	}

	// A response frame may hold MaxMessageSize bytes; an error frame is much smaller.
	kind, body, err := readFrame(stream, h.cfg.MaxMessageSize)
	if err != nil {
		stream.Reset()
		return nil, fmt.Errorf("read response: %w", err)
	}
	stream.Close()

	switch kind {
	case frameResponse:
		return body, nil
	case frameError:
		return nil, &RemoteError{Peer: to, Protocol: proto, Message: string(body)}
	default:
		return nil, fmt.Errorf("read response: %w: kind %d", ErrInvalidFrame, kind)
	}
}

// serve handles one inbound request stream.
func (h *Host) serve(stream network.Stream, proto protocol.ID, handler Handler) {
	from := stream.Conn().RemotePeer()
	log := h.log.With("peer", from, "protocol", proto)
	if err := h.cfg.WAN.reachPeer(from); err != nil {
		log.Debug("rejected request stream", "error", err)
		stream.Reset()
		return
	}
	stream = h.cfg.WAN.wrapStream(stream)

	ctx, cancel := context.WithTimeout(h.ctx, h.cfg.HandlerTimeout)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { stream.Reset() })
	defer stop()

	if err := stream.SetDeadline(time.Now().Add(h.cfg.HandlerTimeout)); err != nil {
		log.Debug("set stream deadline failed", "error", err)
	}

	kind, req, err := readFrame(stream, h.cfg.MaxMessageSize)
	if err == nil && kind != frameRequest {
		err = fmt.Errorf("%w: kind %d, expected a request", ErrInvalidFrame, kind)
	}
	if err != nil {
		h.rejectRequest(stream, log, err)
		return
	}

	resp, err := runHandler(ctx, handler, from, req)
	if err == nil && len(resp) > h.cfg.MaxMessageSize {
		err = fmt.Errorf("response of %d bytes: %w", len(resp), ErrFrameTooLarge)
	}
	if err != nil {
		log.Debug("handler failed", "error", err)
		h.reply(stream, log, frameError, []byte(truncate(err.Error(), maxErrorMessage)))
		return
	}
	h.reply(stream, log, frameResponse, resp)
}

// rejectRequest sends the caller an error frame with the reason when its request frame
// was oversize or invalid, and resets the stream after any other read error.
func (h *Host) rejectRequest(stream network.Stream, log *slog.Logger, err error) {
	if errors.Is(err, ErrFrameTooLarge) || errors.Is(err, ErrInvalidFrame) {
		log.Warn("rejected request frame", "error", err)
		h.reply(stream, log, frameError, []byte("rejected request: "+err.Error()))
		return
	}
	stream.Reset()
}

func (h *Host) reply(stream network.Stream, log *slog.Logger, kind byte, body []byte) {
	err := writeFrame(stream, kind, body)
	if err == nil {
		err = stream.Close()
	}
	if err != nil {
		stream.Reset()
		log.Debug("write response failed", "error", err)
	}
}

// runHandler calls handler and turns a panic into an error, so one bad request cannot
// stop the node.
func runHandler(ctx context.Context, handler Handler, from peer.ID,
	req []byte) (resp []byte, err error) {
	defer func() {
		if recovered := recover(); recovered != nil {
			err = fmt.Errorf("handler panicked: %v", recovered)
		}
	}()
	return handler(ctx, from, req)
}

// contextEnded reports whether ctx is done or its deadline has passed.
func contextEnded(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	deadline, ok := ctx.Deadline()
	return ok && !time.Now().Before(deadline)
}

func truncate(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	return s[:limit]
}
