package mesh

import (
	"context"
	"testing"
	"time"
)

// BenchmarkHost_Call measures one 1 KiB request and response between two loopback hosts,
// each on its own stream.
func BenchmarkHost_Call(b *testing.B) {
	key := mustMeshKey(b)
	caller := mustHost(b, key)
	server := mustHost(b, key)
	mustIntroduce(b, caller, server)
	handleEcho(server)

	request := make([]byte, 1024)
	ctx := context.Background()
	b.SetBytes(int64(len(request)))
	for b.Loop() {
		if _, err := caller.Call(ctx, server.ID(), echoProtocol, request); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRaft_Apply measures one 1 KiB Raft entry committed by three servers over the
// libp2p stream layer, with in-memory stores.
func BenchmarkRaft_Apply(b *testing.B) {
	key := mustMeshKey(b)
	hosts := []*Host{mustHost(b, key), mustHost(b, key), mustHost(b, key)}
	mustIntroduce(b, hosts...)
	nodes := mustRaftGroup(b, "bench", hosts)
	leader, _ := waitLeader(b, nodes, 10*time.Second)

	entry := make([]byte, 1024)
	b.SetBytes(int64(len(entry)))
	for b.Loop() {
		if err := leader.raft.Apply(entry, 5*time.Second).Error(); err != nil {
			b.Fatal(err)
		}
	}
}
