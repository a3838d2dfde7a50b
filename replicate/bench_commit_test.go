package replicate

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// commitWarmup is how many commands each cluster takes before timing starts, so that stream
// dials and first allocations are not measured.
const commitWarmup = 20

// BenchmarkReplicate_CommitVisible measures how long a client write takes to reach another
// boutique: a profile of about 4 KiB (see profilePayload) is submitted on one follower of a
// three-voter group and timed until a second follower has committed it to its Pebble state.
// The group runs over libp2p hosts on 127.0.0.1 with Pebble stores, and the submitting
// follower forwards the command to the leader over libp2p.
//
// Each iteration also times a bare hashicorp/raft cluster of three (TCP transport on
// 127.0.0.1, in-memory stores) from Apply on the leader until a follower's FSM has an entry
// of the same size as the group's. Both clusters use LoopbackConfig. The two are measured
// alternately, so that load from other processes hits both, and ns/op covers one command
// on each. It reports group-p50-ms, group-p99-ms, raft-p50-ms, raft-p99-ms and the
// group/raft ratios. Run it with -benchtime 200x or more, because at 1x each percentile is
// one sample.
//
// Both figures include a wait of hashicorp/raft v1.7.2 (replication.go): the leader sends a
// follower the new commit index only after CommitTimeout to twice CommitTimeout, 5 to 10 ms
// in LoopbackConfig and 50 to 100 ms in WANConfig and LANConfig.
func BenchmarkReplicate_CommitVisible(b *testing.B) {
	c := newMeshCluster(b)
	c.mustAddNode("eu")
	c.mustGrow(2, 0)
	followers := c.followers()
	submitter, observer := followers[0], followers[1]

	bare := mustBareCluster(b, 3)
	bareLeader := mustBareLeader(b, bare)
	bareFollower := bare[0]
	if bareFollower == bareLeader {
		bareFollower = bare[1]
	}

	payload := profilePayload()
	// The bare entry carries the group's encoded command, so both logs hold entries of the
	// same size: the payload in base64 inside the command's JSON.
	bareBody, err := encodeCommand(Command{ID: "cmd-0", Op: "put", CustomerID: "client-cmd-0",
		Origin: string(submitter.id), At: time.Now(), Payload: payload})
	if err != nil {
		b.Fatal(err)
	}

	for i := range commitWarmup {
		mustTimeGroupCommit(b, submitter, observer, fmt.Sprintf("warmup-%d", i), payload)
		mustTimeBareCommit(b, bareLeader, bareFollower, i, bareBody)
	}

	var groupTimes, bareTimes []time.Duration
	for i := 0; b.Loop(); i++ {
		id := fmt.Sprintf("cmd-%d", i)
		groupTimes = append(groupTimes, mustTimeGroupCommit(b, submitter, observer, id, payload))
		bareTimes = append(bareTimes,
			mustTimeBareCommit(b, bareLeader, bareFollower, commitWarmup+i, bareBody))
	}

	reportCommitTimes(b, sortedCopy(groupTimes), sortedCopy(bareTimes))
}

// mustTimeGroupCommit submits one command on submitter and returns the time until observer
// has committed it.
func mustTimeGroupCommit(b *testing.B, submitter, observer *meshNode, id string,
	payload []byte) time.Duration {
	b.Helper()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	committed := observer.applier.watch.expect(id)
	start := time.Now()
	cmd := Command{ID: id, Op: "put", CustomerID: "client-" + id, Origin: string(submitter.id),
		At: start, Payload: payload}
	if err := submitter.group.Submit(ctx, cmd); err != nil {
		b.Fatalf("submit %s on %s: %v", id, submitter.id, err)
	}

	if err := observer.awaitCommitted(committed, 10*time.Second); err != nil {
		b.Fatalf("command %s: %v", id, err)
	}

	return time.Since(start)
}

// mustTimeBareCommit applies one entry on the bare leader and returns the time until the
// follower's FSM has applied it. The entry is a fixed-size id followed by body.
func mustTimeBareCommit(b *testing.B, leader, follower *bareNode, seq int,
	body []byte) time.Duration {
	b.Helper()

	id := fmt.Sprintf("bare-%0*d", bareIDSize-5, seq)
	entry := append([]byte(id), body...)

	applied := follower.fsm.watch.expect(id)
	start := time.Now()
	if err := leader.raft.Apply(entry, 10*time.Second).Error(); err != nil {
		b.Fatalf("apply %s on the bare leader: %v", id, err)
	}

	select {
	case <-applied:
	case <-time.After(10 * time.Second):
		b.Fatalf("timed out after 10s waiting for entry %s on the bare follower", id)
	}

	return time.Since(start)
}

func reportCommitTimes(b *testing.B, group, bare []time.Duration) {
	groupP50, groupP99 := percentile(group, 50), percentile(group, 99)
	bareP50, bareP99 := percentile(bare, 50), percentile(bare, 99)

	b.ReportMetric(groupP50, "group-p50-ms")
	b.ReportMetric(groupP99, "group-p99-ms")
	b.ReportMetric(bareP50, "raft-p50-ms")
	b.ReportMetric(bareP99, "raft-p99-ms")
	b.ReportMetric(groupP50/bareP50, "group/raft-p50")
	b.ReportMetric(groupP99/bareP99, "group/raft-p99")
}
