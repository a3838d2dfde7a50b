// Package testnet will run many boutique nodes on one machine with a simulated WAN
// between regions, for QA scenarios. The product never imports it.
//
// NOTE: empty until the mesh and replication exist.
package testnet
