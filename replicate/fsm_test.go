package replicate

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/hashicorp/raft"
)

// bufferSink is a raft.SnapshotSink over memory.
type bufferSink struct {
	bytes.Buffer
	cancelled bool
}

func (s *bufferSink) ID() string    { return "test" }
func (s *bufferSink) Close() error  { return nil }
func (s *bufferSink) Cancel() error { s.cancelled = true; return nil }

func mustNewFSM(t testing.TB) (*fsm, *testApplier) {
	t.Helper()

	db := mustOpenDB(t)
	applier := &testApplier{db: db}
	f, err := newFSM(db, testGroup, applier, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("new fsm: %v", err)
	}

	return f, applier
}

func mustCommandLog(t *testing.T, index uint64, cmd Command) *raft.Log {
	t.Helper()

	data, err := encodeCommand(cmd)
	if err != nil {
		t.Fatalf("encode %s: %v", cmd.ID, err)
	}

	return &raft.Log{Index: index, Term: 1, Type: raft.LogCommand, Data: data}
}

func TestFSM_SnapshotRestoreKeepsDedup(t *testing.T) {
	source, _ := mustNewFSM(t)
	source.ApplyBatch([]*raft.Log{
		mustCommandLog(t, 1, putCommand("put-1", "client-a", "v1")),
		mustCommandLog(t, 2, Command{ID: "forget-1", Op: OpForget, CustomerID: "client-a"}),
		mustCommandLog(t, 3, putCommand("put-2", "client-a", "v2")),
	})

	snap, err := source.Snapshot()
	if err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	var sink bufferSink
	if err := snap.Persist(&sink); err != nil {
		t.Fatalf("persist: %v", err)
	}
	snap.Release()

	target, applier := mustNewFSM(t)
	if err := target.Restore(io.NopCloser(&sink)); err != nil {
		t.Fatalf("restore: %v", err)
	}
	if got := target.applied.Load(); got != 3 {
		t.Errorf("applied index after restore = %d, want 3", got)
	}

	// put-1 again at a new index: recorded as applied, Apply is not called.
	result := target.Apply(mustCommandLog(t, 4, putCommand("put-1", "client-a", "again")))
	if err := result.(applyResult).err; err != nil {
		t.Errorf("duplicate put-1: err %v, want nil", err)
	}
	if calls := applier.calls.Load(); calls != 0 {
		t.Errorf("Apply called %d times for a duplicate, want 0", calls)
	}

	// put-2 again: its recorded rejection comes back.
	result = target.Apply(mustCommandLog(t, 5, putCommand("put-2", "client-a", "again")))
	var rejected *RejectedError
	if err := result.(applyResult).err; !errors.As(err, &rejected) {
		t.Errorf("duplicate put-2: err %v, want *RejectedError", err)
	} else if rejected.Reason == "" {
		t.Error("duplicate put-2: empty recorded reason")
	}

	if got := applier.profile(testGroup, "client-a"); got != nil {
		t.Errorf("restored profile of forgotten client = %q, want none", got)
	}
	if got := target.applied.Load(); got != 5 {
		t.Errorf("applied index = %d, want 5", got)
	}
}

func TestFSM_ReplayedEntrySkipped(t *testing.T) {
	f, applier := mustNewFSM(t)
	log := mustCommandLog(t, 1, putCommand("put-1", "client-a", "v1"))
	f.Apply(log)

	reopened, err := newFSM(f.db, testGroup, applier, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("reopen fsm: %v", err)
	}
	if got := reopened.applied.Load(); got != 1 {
		t.Fatalf("applied index after reopen = %d, want 1", got)
	}

	reopened.Apply(log)
	if calls := applier.calls.Load(); calls != 1 {
		t.Errorf("Apply called %d times, want 1", calls)
	}
	if got := applier.applies(testGroup, "put-1"); got != 1 {
		t.Errorf("put-1 applied %d times, want 1", got)
	}
}

func TestFSM_RestoreRejectsForeignData(t *testing.T) {
	f, _ := mustNewFSM(t)

	err := f.Restore(io.NopCloser(bytes.NewReader([]byte("not a snapshot of this package"))))
	if err == nil {
		t.Fatal("restore of foreign data succeeded, want error")
	}
	if got := f.applied.Load(); got != 0 {
		t.Errorf("applied index after failed restore = %d, want 0", got)
	}
}
