// Package mesh carries bytes between boutiques: libp2p hosts on a private network, gossip
// of membership and health over hashicorp/memberlist, and a raft.StreamLayer that runs
// hashicorp/raft over libp2p streams. It carries opaque bytes, never decoded profiles or
// faces.
//
// Two keys admit a node. The mesh key (a libp2p pre-shared key, also the source of the
// gossip encryption key) keeps out every process that lacks it. The node identity (an
// Ed25519 key per node) is checked against the peers the caller allows, so a process that
// holds the mesh key but not an allowed identity is still rejected.
package mesh
