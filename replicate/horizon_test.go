package replicate

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/hashicorp/raft"
)

// horizonStart is the time of the first command in the horizon tests.
var horizonStart = time.Date(2026, 1, 2, 9, 0, 0, 0, time.UTC)

const testRetention = 30 * 24 * time.Hour

// timedPut is a put command written at the given time.
func timedPut(id string, at time.Time) Command {
	cmd := putCommand(id, "client-"+id, "profile of "+id)
	cmd.At = at

	return cmd
}

// mustEntryLog is mustCommandLog for an entry that carries the leader's retention.
func mustEntryLog(t testing.TB, index uint64, cmd Command, retention time.Duration) *raft.Log {
	t.Helper()

	data, err := encodeEntry(cmd, retention)
	if err != nil {
		t.Fatalf("encode %s: %v", cmd.ID, err)
	}

	return &raft.Log{Index: index, Term: 1, Type: raft.LogCommand, Data: data}
}

// mustApplyNext applies cmd at the next index with testRetention and returns its outcome.
func mustApplyNext(t *testing.T, f *fsm, cmd Command) error {
	t.Helper()

	result := f.Apply(mustEntryLog(t, f.applied.Load()+1, cmd, testRetention))

	return result.(applyResult).err
}

// countKeys returns how many keys of db start with prefix.
func countKeys(t testing.TB, db *pebble.DB, prefix []byte) int {
	t.Helper()

	iter, err := db.NewIter(&pebble.IterOptions{LowerBound: prefix,
		UpperBound: prefixEnd(prefix)})
	if err != nil {
		t.Fatalf("open iterator: %v", err)
	}
	defer iter.Close()

	n := 0
	for iter.First(); iter.Valid(); iter.Next() {
		n++
	}

	return n
}

func TestReplayState_Advance(t *testing.T) {
	day := 24 * time.Hour
	t0 := stampOf(horizonStart)
	cases := []struct {
		name          string
		start         replayState
		at            time.Time
		retention     time.Duration
		wantHighWater time.Time
		wantHorizon   time.Time
	}{
		{"first command", replayState{}, horizonStart, 30 * day,
			horizonStart, horizonStart.Add(-30 * day)},
		{"older command keeps high-water", replayState{highWater: t0,
			horizon: stampOf(horizonStart.Add(-30 * day))}, horizonStart.Add(-day), 30 * day,
			horizonStart, horizonStart.Add(-30 * day)},
		{"longer retention keeps horizon", replayState{highWater: t0,
			horizon: stampOf(horizonStart.Add(-30 * day))}, horizonStart, 60 * day,
			horizonStart, horizonStart.Add(-30 * day)},
		{"shorter retention moves horizon", replayState{highWater: t0,
			horizon: stampOf(horizonStart.Add(-30 * day))}, horizonStart, 10 * day,
			horizonStart, horizonStart.Add(-10 * day)},
		{"entry without retention", replayState{highWater: t0,
			horizon: stampOf(horizonStart.Add(-30 * day))}, horizonStart.Add(5 * day), 0,
			horizonStart.Add(5 * day), horizonStart.Add(-30 * day)},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.start.advance(stampOf(tc.at), tc.retention)
			if want := stampOf(tc.wantHighWater); got.highWater != want {
				t.Errorf("high-water %v, want %v", timeOf(got.highWater), tc.wantHighWater)
			}
			if want := stampOf(tc.wantHorizon); got.horizon != want {
				t.Errorf("horizon %v, want %v", timeOf(got.horizon), tc.wantHorizon)
			}
		})
	}
}

func TestStampOf_SortsLikeTime(t *testing.T) {
	times := []time.Time{{}, time.Unix(-5, 0), time.Unix(0, 0), horizonStart,
		horizonStart.Add(time.Nanosecond), time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)}
	for i := 1; i < len(times); i++ {
		if stampOf(times[i-1]) >= stampOf(times[i]) {
			t.Errorf("stamp of %v not below stamp of %v", times[i-1], times[i])
		}
	}
	if got := timeOf(stampOf(horizonStart)); !got.Equal(horizonStart) {
		t.Errorf("timeOf(stampOf(%v)) = %v", horizonStart, got)
	}
}

func TestFSM_ReplayWithinHorizonDeduplicated(t *testing.T) {
	f, applier := mustNewFSM(t)
	if err := mustApplyNext(t, f, timedPut("req-k1-body", horizonStart)); err != nil {
		t.Fatalf("first apply: %v", err)
	}
	if err := mustApplyNext(t, f, timedPut("later", horizonStart.Add(29*24*time.Hour))); err != nil {
		t.Fatalf("later apply: %v", err)
	}

	// The same id again: as written, and with a new At as a retried HTTP request makes it.
	for _, at := range []time.Time{horizonStart, horizonStart.Add(29 * 24 * time.Hour)} {
		if err := mustApplyNext(t, f, timedPut("req-k1-body", at)); err != nil {
			t.Errorf("replay written at %v: err %v, want nil", at, err)
		}
	}

	if got := applier.applies(testGroup, "req-k1-body"); got != 1 {
		t.Errorf("req-k1-body applied %d times, want 1", got)
	}
	if got := applier.calls.Load(); got != 2 {
		t.Errorf("Apply called %d times, want 2", got)
	}
}

func TestFSM_StaleCommandRejected(t *testing.T) {
	f, applier := mustNewFSM(t)
	newest := horizonStart.Add(40 * 24 * time.Hour)
	if err := mustApplyNext(t, f, timedPut("newest", newest)); err != nil {
		t.Fatalf("apply newest: %v", err)
	}

	err := mustApplyNext(t, f, timedPut("old", horizonStart))
	var rejected *RejectedError
	if !errors.As(err, &rejected) {
		t.Fatalf("old command: err %v, want *RejectedError", err)
	}
	if !errors.Is(err, ErrStale) {
		t.Errorf("old command: errors.Is(err, ErrStale) is false for %v", err)
	}
	wantReason := "stale command: written at 2026-01-02T09:00:00Z, more than 30 days " +
		"before the group's newest command, so before the replay horizon 2026-01-12T09:00:00Z"
	if rejected.Reason != wantReason {
		t.Errorf("reason %q, want %q", rejected.Reason, wantReason)
	}
	if got := applier.calls.Load(); got != 1 {
		t.Errorf("Apply called %d times, want 1 (stale commands never reach it)", got)
	}
	if _, found := f.lookupOutcome("old"); found {
		t.Error("stale command's id recorded, want none")
	}

	// Exactly at the horizon is still accepted.
	if err := mustApplyNext(t, f, timedPut("edge", newest.Add(-testRetention))); err != nil {
		t.Errorf("command at the horizon: err %v, want nil", err)
	}
}

func TestRejectedError_StaleRebuiltFromReason(t *testing.T) {
	f, _ := mustNewFSM(t)
	mustApplyNext(t, f, timedPut("newest", horizonStart.Add(40*24*time.Hour)))
	err := mustApplyNext(t, f, timedPut("old", horizonStart))

	var original *RejectedError
	if !errors.As(err, &original) {
		t.Fatalf("old command: err %v, want *RejectedError", err)
	}
	rebuilt := &RejectedError{CommandID: original.CommandID, Reason: original.Reason}
	if !errors.Is(rebuilt, ErrStale) {
		t.Error("rebuilt stale rejection does not match ErrStale")
	}

	other := &RejectedError{CommandID: "x", Reason: "write x: client forgotten"}
	if errors.Is(other, ErrStale) {
		t.Error("other rejection matches ErrStale")
	}
}

func TestFSM_PrunesIDsBeforeHorizon(t *testing.T) {
	f, _ := mustNewFSM(t)
	const old = 100
	for i := range old {
		cmd := timedPut(fmt.Sprintf("old-%03d", i), horizonStart.Add(time.Duration(i)*time.Minute))
		if err := mustApplyNext(t, f, cmd); err != nil {
			t.Fatalf("apply old-%03d: %v", i, err)
		}
	}
	if got := countKeys(t, f.db, idsPrefix(testGroup)); got != old {
		t.Fatalf("%d ids before the horizon moved, want %d", got, old)
	}

	// Each new command prunes at most maxPrunePerCommand, so 100 old ids take 4 commands.
	fresh := horizonStart.Add(testRetention + 24*time.Hour)
	steps := (old + maxPrunePerCommand - 1) / maxPrunePerCommand
	for i := range steps {
		mustApplyNext(t, f, timedPut(fmt.Sprintf("fresh-%d", i), fresh))

		wantLeft := max(old-(i+1)*maxPrunePerCommand, 0)
		got := countKeys(t, f.db, idsPrefix(testGroup))
		if got != wantLeft+i+1 {
			t.Errorf("after fresh-%d: %d ids, want %d old and %d fresh", i, got, wantLeft, i+1)
		}
	}

	if got := countKeys(t, f.db, idTimesPrefix(testGroup)); got != steps {
		t.Errorf("%d time index entries, want %d", got, steps)
	}
	if _, found := f.lookupOutcome("fresh-0"); !found {
		t.Error("fresh-0 not recorded")
	}
}

func TestFSM_ExpiredIDIgnoredBeforePruned(t *testing.T) {
	f, applier := mustNewFSM(t)
	for i := range maxPrunePerCommand + 1 {
		mustApplyNext(t, f, timedPut(fmt.Sprintf("old-%02d", i), horizonStart))
	}

	// The first fresh command moves the horizon past them but prunes only 32 of the 33.
	fresh := horizonStart.Add(testRetention + time.Hour)
	mustApplyNext(t, f, timedPut("fresh-0", fresh))
	last := fmt.Sprintf("old-%02d", maxPrunePerCommand)
	if !mustHasKey(t, f.db, idKey(testGroup, last)) {
		t.Fatalf("%s pruned in the first step, the check below proves nothing", last)
	}

	// A copy of that id with a fresh time is a new command, as on a replica that pruned it.
	if err := mustApplyNext(t, f, timedPut(last, fresh)); err != nil {
		t.Fatalf("fresh copy of %s: %v", last, err)
	}
	if got := applier.applies(testGroup, last); got != 2 {
		t.Errorf("%s applied %d times, want 2", last, got)
	}
	if _, found := f.lookupOutcome(last); !found {
		t.Errorf("%s not recorded again", last)
	}
}

func mustHasKey(t *testing.T, db *pebble.DB, key []byte) bool {
	t.Helper()

	_, closer, err := db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return false
	}
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	closer.Close()

	return true
}

func TestFSM_OldFormatIDsStillDeduplicate(t *testing.T) {
	f, applier := mustNewFSM(t)
	old := map[string][]byte{
		"legacy-applied":  {outcomeApplied},
		"legacy-rejected": append([]byte{outcomeRejected}, "write legacy: client forgotten"...),
	}
	for id, value := range old {
		if err := f.db.Set(idKey(testGroup, id), value, pebble.Sync); err != nil {
			t.Fatalf("write %s: %v", id, err)
		}
	}

	// Move the horizon far past any time, so only their missing time keeps them.
	far := horizonStart.Add(365 * 24 * time.Hour)
	for i := range 3 {
		mustApplyNext(t, f, timedPut(fmt.Sprintf("new-%d", i), far))
	}

	if err := mustApplyNext(t, f, timedPut("legacy-applied", far)); err != nil {
		t.Errorf("legacy-applied again: err %v, want nil", err)
	}
	err := mustApplyNext(t, f, timedPut("legacy-rejected", far))
	var rejected *RejectedError
	if !errors.As(err, &rejected) {
		t.Fatalf("legacy-rejected again: err %v, want *RejectedError", err)
	}
	if rejected.Reason != "write legacy: client forgotten" {
		t.Errorf("legacy-rejected reason %q", rejected.Reason)
	}
	if got := applier.calls.Load(); got != 3 {
		t.Errorf("Apply called %d times, want 3", got)
	}
	if got := countKeys(t, f.db, idsPrefix(testGroup)); got != 5 {
		t.Errorf("%d ids, want 5 (2 legacy, 3 new)", got)
	}
}

func TestFSM_SnapshotRestoreKeepsHorizon(t *testing.T) {
	source, _ := mustNewFSM(t)
	for i := range 5 {
		mustApplyNext(t, source, timedPut(fmt.Sprintf("old-%d", i), horizonStart))
	}
	newest := horizonStart.Add(testRetention + 24*time.Hour)
	mustApplyNext(t, source, timedPut("within", newest.Add(-24*time.Hour)))
	mustApplyNext(t, source, timedPut("newest", newest))

	target, applier := mustNewFSM(t)
	if err := target.Restore(io.NopCloser(bytes.NewReader(mustPersist(t, source)))); err != nil {
		t.Fatalf("restore: %v", err)
	}

	if target.replay != source.replay {
		t.Errorf("restored replay state %+v, want %+v", target.replay, source.replay)
	}
	stored, err := readReplayState(target.db, testGroup)
	if err != nil || stored != source.replay {
		t.Errorf("stored replay state %+v (%v), want %+v", stored, err, source.replay)
	}

	// Ids before the horizon are left out; the rest come with their time index.
	if got := countKeys(t, target.db, idsPrefix(testGroup)); got != 2 {
		t.Errorf("%d restored ids, want 2", got)
	}
	if got := countKeys(t, target.db, idTimesPrefix(testGroup)); got != 2 {
		t.Errorf("%d restored time index entries, want 2", got)
	}

	if err := mustApplyNext(t, target, timedPut("old-9", horizonStart)); !errors.Is(err,
		ErrStale) {
		t.Errorf("old command after restore: err %v, want ErrStale", err)
	}
	if err := mustApplyNext(t, target, timedPut("within", newest)); err != nil {
		t.Errorf("replay of within after restore: err %v, want nil", err)
	}
	if got := applier.calls.Load(); got != 0 {
		t.Errorf("Apply called %d times after restore, want 0", got)
	}
}

func TestFSM_RestoresSnapshotWithoutHorizon(t *testing.T) {
	var snapshot bytes.Buffer
	snapshot.Write(snapshotMagicV1)
	snapshot.Write(binary.BigEndian.AppendUint64(nil, 7))
	for id, value := range map[string][]byte{"v1-applied": {outcomeApplied}} {
		snapshot.Write(binary.AppendUvarint(nil, uint64(len(id))))
		snapshot.WriteString(id)
		snapshot.Write(binary.AppendUvarint(nil, uint64(len(value))))
		snapshot.Write(value)
	}
	snapshot.Write(binary.AppendUvarint(nil, 0)) // end of outcomes
	snapshot.Write(binary.AppendUvarint(nil, 0)) // empty applier state

	f, applier := mustNewFSM(t)
	mustApplyNext(t, f, timedPut("before", horizonStart.Add(400*24*time.Hour)))
	if err := f.Restore(io.NopCloser(&snapshot)); err != nil {
		t.Fatalf("restore: %v", err)
	}

	if f.replay != (replayState{}) {
		t.Errorf("replay state %+v after a snapshot without one, want zero", f.replay)
	}
	if got := f.applied.Load(); got != 7 {
		t.Errorf("applied index %d, want 7", got)
	}
	if err := mustApplyNext(t, f, timedPut("v1-applied", horizonStart)); err != nil {
		t.Errorf("v1-applied again: err %v, want nil", err)
	}
	if err := mustApplyNext(t, f, timedPut("early", horizonStart)); err != nil {
		t.Errorf("new command after restore: err %v, want nil", err)
	}
	if got := applier.calls.Load(); got != 2 {
		t.Errorf("Apply called %d times, want 2", got)
	}
}

func TestCommand_ValidateRequiresAt(t *testing.T) {
	err := Command{ID: "no-time", Op: "put"}.validate()
	if err == nil || !strings.Contains(err.Error(), "zero At") {
		t.Errorf("validate without At: %v, want a zero At error", err)
	}
}
