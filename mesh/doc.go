// Package mesh will hold membership (memberlist) and secure streams between boutiques
// (libp2p). It carries bytes and knows nothing of profiles or faces.
//
// NOTE: no mesh exists yet: each node runs alone.
package mesh
