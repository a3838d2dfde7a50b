package replicate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/cockroachdb/pebble/v2"
	"github.com/hashicorp/raft"
)

// errReadCut is the error of cutReader once its data ends.
var errReadCut = errors.New("snapshot stream cut")

// cutReader returns data and then errReadCut, as a snapshot stream cut by a network failure.
type cutReader struct {
	data []byte
}

func (r *cutReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, errReadCut
	}

	n := copy(p, r.data)
	r.data = r.data[n:]

	return n, nil
}

// mustPersist takes a snapshot of f and returns its bytes.
func mustPersist(t *testing.T, f *fsm) []byte {
	t.Helper()

	snap, err := f.Snapshot()
	if err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	defer snap.Release()

	var sink bufferSink
	if err := snap.Persist(&sink); err != nil {
		t.Fatalf("persist: %v", err)
	}

	return sink.Bytes()
}

// readPrefix returns every key and value under prefix.
func readPrefix(t *testing.T, db *pebble.DB, prefix string) map[string]string {
	t.Helper()

	iter, err := db.NewIter(&pebble.IterOptions{LowerBound: []byte(prefix),
		UpperBound: prefixEnd([]byte(prefix))})
	if err != nil {
		t.Fatalf("iterate %s: %v", prefix, err)
	}
	defer iter.Close()

	values := map[string]string{}
	for iter.First(); iter.Valid(); iter.Next() {
		values[string(iter.Key())] = string(iter.Value())
	}

	return values
}

// groupState returns the group's applier state and recorded command outcomes.
func groupState(t *testing.T, db *pebble.DB) map[string]string {
	t.Helper()

	state := readPrefix(t, db, "state/"+testGroup+"/")
	maps.Copy(state, readPrefix(t, db, string(idsPrefix(testGroup))))

	return state
}

// compareStates reports the keys whose values differ between got and want.
func compareStates(t *testing.T, got, want map[string]string) {
	t.Helper()

	if len(got) != len(want) {
		t.Errorf("state holds %d keys, want %d", len(got), len(want))
	}
	for key, value := range want {
		if got[key] != value {
			t.Errorf("key %s = %q, want %q", key, got[key], value)
		}
	}
	for key := range got {
		if _, ok := want[key]; !ok {
			t.Errorf("key %s present, want absent", key)
		}
	}
}

func mustReadRestoring(t *testing.T, db *pebble.DB) (uint64, bool) {
	t.Helper()

	index, found, err := readRestoring(db, testGroup)
	if err != nil {
		t.Fatalf("read restore marker: %v", err)
	}

	return index, found
}

// applyCommands applies count put commands named prefix-N for clients prefix-client-0 to -9,
// with payloads of about 100 bytes.
func applyCommands(t *testing.T, f *fsm, prefix string, count int) {
	t.Helper()

	logs := make([]*raft.Log, 0, count)
	start := f.applied.Load() + 1
	for i := range count {
		cmd := putCommand(fmt.Sprintf("%s-%d", prefix, i),
			fmt.Sprintf("%s-client-%d", prefix, i%10), fmt.Sprintf("%s profile %d %080d",
				prefix, i, i))
		logs = append(logs, mustCommandLog(t, start+uint64(i), cmd))
	}
	f.ApplyBatch(logs)
}

func TestFSM_RestoreCommitsInBatches(t *testing.T) {
	source, _ := mustNewFSM(t)
	applyCommands(t, source, "new", 200)
	snapshot := mustPersist(t, source)

	target, applier := mustNewFSM(t)
	applyCommands(t, target, "old", 30)
	target.restoreLimit = 1 << 10

	if err := target.Restore(io.NopCloser(bytes.NewReader(snapshot))); err != nil {
		t.Fatalf("restore: %v", err)
	}

	if commits := applier.restoreCommits.Load(); commits < 2 {
		t.Errorf("restore committed the applier's state in %d batches, want several "+
			"with a 1 KiB limit and %d bytes of snapshot", commits, len(snapshot))
	}
	compareStates(t, groupState(t, target.db), groupState(t, source.db))
	if got := target.applied.Load(); got != 200 {
		t.Errorf("applied index = %d, want 200", got)
	}
	if stored, err := target.readApplied(); err != nil || stored != 200 {
		t.Errorf("stored applied index = %d (err %v), want 200", stored, err)
	}
	if _, found := mustReadRestoring(t, target.db); found {
		t.Error("restore marker present after a finished restore")
	}
	if target.partial.Load() {
		t.Error("fsm partial after a finished restore")
	}
}

func TestFSM_CutRestoreLeavesMarker(t *testing.T) {
	source, _ := mustNewFSM(t)
	applyCommands(t, source, "new", 200)
	snapshot := mustPersist(t, source)

	target, _ := mustNewFSM(t)
	applyCommands(t, target, "old", 30)
	target.restoreLimit = 1 << 10
	before := groupState(t, target.db)

	// The applier's state takes most of the snapshot, so a cut at 3/4 falls inside it.
	err := target.Restore(io.NopCloser(&cutReader{data: snapshot[:len(snapshot)*3/4]}))
	if !errors.Is(err, errReadCut) {
		t.Fatalf("restore of a cut stream: err %v, want %v", err, errReadCut)
	}

	index, found := mustReadRestoring(t, target.db)
	if !found {
		t.Fatal("restore marker missing after a cut restore")
	}
	if index != 200 {
		t.Errorf("restore marker index = %d, want 200", index)
	}
	if got, _ := target.readApplied(); got != 30 {
		t.Errorf("stored applied index = %d, want the old 30", got)
	}

	partial := groupState(t, target.db)
	if _, ok := partial["state/"+testGroup+"/applies/new-0"]; !ok {
		t.Error("first restored record not committed, want batches committed before the cut")
	}
	if _, ok := partial["state/"+testGroup+"/applies/old-0"]; ok {
		t.Error("old record still present, want the old state deleted by the first batch")
	}
	if len(partial) == len(before) {
		t.Errorf("state holds %d keys as before the restore, want a partial state",
			len(partial))
	}

	if _, err := target.Snapshot(); !errors.Is(err, ErrPartialState) {
		t.Errorf("snapshot of a partial state: err %v, want ErrPartialState", err)
	}

	reopened, err := newFSM(target.db, testGroup, target.applier, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("reopen fsm: %v", err)
	}
	if !reopened.partial.Load() {
		t.Error("reopened fsm not partial, want the marker read at open")
	}
}

func TestGroup_OpenRedoesCutRestore(t *testing.T) {
	c := mustThreeVoters(t)
	leader := c.mustLeader()
	mustSubmitMany(t, leader.group, 300, 8)
	c.waitApplied(300)

	follower := c.follower()
	if err := follower.group.Raft().Snapshot().Error(); err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	want := groupState(t, follower.db)
	c.mustClose(follower)

	meta, snapshot := mustReadLatestSnapshot(t, follower.dir)
	mustCutRestore(t, follower.dir, snapshot)

	c.mustOpen(follower, false)

	compareStates(t, groupState(t, follower.db), want)
	if _, found := mustReadRestoring(t, follower.db); found {
		t.Error("restore marker present after reopen, want it deleted by the redone restore")
	}
	if follower.group.fsm.partial.Load() {
		t.Error("fsm partial after reopen")
	}
	if got := follower.group.fsm.applied.Load(); got < meta.Index {
		t.Errorf("applied index after reopen = %d, want at least the snapshot's %d", got,
			meta.Index)
	}

	mustSubmit(t, leader.group, putCommand("after-reopen", "client-a", "v"))
	c.waitApplied(301)
}

func TestGroup_OpenFailsWithoutSnapshotToRedo(t *testing.T) {
	c := newTestCluster(t)
	n := c.mustAddNode("eu")
	leader := c.mustLeader()
	mustSubmit(t, leader.group, putCommand("one", "client-a", "v"))
	c.mustClose(n)

	// A restore marker with an empty snapshot store: the snapshot that was being restored
	// is gone, so the partial state cannot be repaired.
	db, err := pebble.Open(filepath.Join(n.dir, "pebble"), &pebble.Options{Logger: quietLogger{}})
	if err != nil {
		t.Fatalf("open pebble: %v", err)
	}
	if err := db.Set(restoringKey(testGroup), make([]byte, 8), pebble.Sync); err != nil {
		t.Fatalf("write restore marker: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("close pebble: %v", err)
	}
	if err := os.RemoveAll(filepath.Join(n.dir, "raft", testGroup)); err != nil {
		t.Fatalf("remove snapshot store: %v", err)
	}

	err = c.open(n, false)
	if !errors.Is(err, ErrPartialState) {
		t.Errorf("open with a marker and no snapshot: err %v, want ErrPartialState", err)
	}
}

// mustReadLatestSnapshot returns the latest snapshot in a node's snapshot store.
func mustReadLatestSnapshot(t *testing.T, dir string) (*raft.SnapshotMeta, []byte) {
	t.Helper()

	store, err := raft.NewFileSnapshotStore(filepath.Join(dir, "raft", testGroup), 1, io.Discard)
	if err != nil {
		t.Fatalf("open snapshot store: %v", err)
	}
	metas, err := store.List()
	if err != nil || len(metas) == 0 {
		t.Fatalf("list snapshots: %d found, err %v", len(metas), err)
	}

	meta, source, err := store.Open(metas[0].ID)
	if err != nil {
		t.Fatalf("open snapshot %s: %v", metas[0].ID, err)
	}
	defer source.Close()

	data, err := io.ReadAll(source)
	if err != nil {
		t.Fatalf("read snapshot %s: %v", metas[0].ID, err)
	}

	return meta, data
}

// mustCutRestore restores snapshot into the node's closed database with a 1 KiB batch limit
// and a stream cut at 3/4, and checks that the marker and part of the state are left.
func mustCutRestore(t *testing.T, dir string, snapshot []byte) {
	t.Helper()

	db, err := pebble.Open(filepath.Join(dir, "pebble"), &pebble.Options{Logger: quietLogger{}})
	if err != nil {
		t.Fatalf("open pebble: %v", err)
	}
	defer db.Close()

	f, err := newFSM(db, testGroup, &testApplier{db: db}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("new fsm: %v", err)
	}
	f.restoreLimit = 1 << 10
	full := len(groupState(t, db))

	err = f.Restore(io.NopCloser(&cutReader{data: snapshot[:len(snapshot)*3/4]}))
	if !errors.Is(err, errReadCut) {
		t.Fatalf("restore of a cut stream: err %v, want %v", err, errReadCut)
	}
	if _, found := mustReadRestoring(t, db); !found {
		t.Fatal("restore marker missing after a cut restore")
	}
	if partial := len(groupState(t, db)); partial == 0 || partial >= full {
		t.Fatalf("state after a cut restore holds %d keys, want between 0 and %d", partial,
			full)
	}
}
