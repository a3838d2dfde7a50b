package mesh

import "errors"

// Sentinel errors that callers can branch on with errors.Is.
var (
	// ErrInvalidMeshKey reports a mesh key file that is not a 32-byte libp2p swarm key.
	ErrInvalidMeshKey = errors.New("invalid mesh key")

	// ErrKeyFileMode reports a key file that group or other users can read.
	ErrKeyFileMode = errors.New("key file readable by group or others")

	// ErrPeerNotAllowed reports a peer that the connection gater does not admit.
	ErrPeerNotAllowed = errors.New("peer not allowed")

	// ErrFrameTooLarge reports a request or response larger than the configured maximum.
	ErrFrameTooLarge = errors.New("frame too large")

	// ErrInvalidFrame reports a frame whose header cannot be parsed.
	ErrInvalidFrame = errors.New("invalid frame")

	// ErrMetaTooLarge reports node metadata that does not fit memberlist's 512-byte limit.
	ErrMetaTooLarge = errors.New("node metadata too large")

	// ErrInvalidMeta reports node metadata that cannot be decoded.
	ErrInvalidMeta = errors.New("invalid node metadata")

	// ErrPartitioned reports traffic to a region that a simulated WAN partition cuts off
	// (see WAN).
	ErrPartitioned = errors.New("region partitioned by the simulated wan")

	// ErrClosed reports use of a host, gossip member or stream layer after it was closed.
	ErrClosed = errors.New("mesh: closed")
)
