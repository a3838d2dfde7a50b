package replicate

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkGroup_Purge measures the work a forget adds on each node: a snapshot of a state
// holding 10,000 profiles of 1 KiB, log truncation and a compaction of the whole database.
func BenchmarkGroup_Purge(b *testing.B) {
	c := newTestCluster(b)
	n := c.mustAddNode("eu")
	c.mustLeader()

	payload := strings.Repeat("p", 1024)
	for i := range 10_000 {
		mustSubmit(b, n.group, putCommand(fmt.Sprintf("bulk-%05d", i),
			fmt.Sprintf("client-%05d", i), payload))
	}

	for i := 0; b.Loop(); i++ {
		mustSubmit(b, n.group, putCommand(fmt.Sprintf("more-%d", i), "client-x", payload))
		if err := n.group.purge(b.Context()); err != nil {
			b.Fatalf("purge: %v", err)
		}
	}
}

// BenchmarkGroup_SubmitForwarded measures one command of 1 KiB submitted on a follower of a
// three-node group, forwarded to the leader and applied, waiting for each before the next.
func BenchmarkGroup_SubmitForwarded(b *testing.B) {
	c := mustThreeVoters(b)
	follower := c.follower()

	payload := strings.Repeat("p", 1024)
	for i := 0; b.Loop(); i++ {
		mustSubmit(b, follower.group, putCommand(fmt.Sprintf("cmd-%d", i), "client-a", payload))
	}
}
