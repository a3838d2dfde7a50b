// Package replicate will hold the replicated profile state machine: one Raft group per
// consent scope (brand, group), its log and stable store in the node's Pebble database.
//
// NOTE: nothing is replicated yet. A node keeps its profiles in node/profile alone, and
// every profile already carries the consent scope that replication will follow.
package replicate
