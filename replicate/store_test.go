package replicate

import (
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2"
	"github.com/hashicorp/raft"
)

func mustOpenDB(t testing.TB) *pebble.DB {
	t.Helper()

	db, err := pebble.Open(filepath.Join(t.TempDir(), "pebble"),
		&pebble.Options{Logger: quietLogger{}})
	if err != nil {
		t.Fatalf("open pebble: %v", err)
	}
	t.Cleanup(func() { db.Close() })

	return db
}

func TestStore_LogRoundTrip(t *testing.T) {
	db := mustOpenDB(t)
	s := NewStore(db, "brand:a")
	other := NewStore(db, "brand:ab")

	logs := []*raft.Log{
		{Index: 1, Term: 1, Type: raft.LogConfiguration, Data: []byte("config")},
		{Index: 2, Term: 1, Type: raft.LogCommand, Data: []byte("payload"),
			Extensions: []byte("ext"), AppendedAt: time.Unix(1700000000, 123)},
		{Index: 3, Term: 2, Type: raft.LogNoop},
		{Index: 256, Term: 2, Type: raft.LogCommand, Data: make([]byte, 70_000)},
	}
	if err := s.StoreLogs(logs); err != nil {
		t.Fatalf("store logs: %v", err)
	}
	if err := other.StoreLog(&raft.Log{Index: 9, Term: 1}); err != nil {
		t.Fatalf("store log in other group: %v", err)
	}

	for _, want := range logs {
		var got raft.Log
		if err := s.GetLog(want.Index, &got); err != nil {
			t.Fatalf("get log %d: %v", want.Index, err)
		}
		if got.Term != want.Term || got.Type != want.Type {
			t.Errorf("log %d term %d type %v, want %d %v", want.Index, got.Term, got.Type,
				want.Term, want.Type)
		}
		if !got.AppendedAt.Equal(want.AppendedAt) {
			t.Errorf("log %d appended at %v, want %v", want.Index, got.AppendedAt, want.AppendedAt)
		}
		if string(got.Data) != string(want.Data) {
			t.Errorf("log %d data differs", want.Index)
		}
		if string(got.Extensions) != string(want.Extensions) {
			t.Errorf("log %d extensions %q, want %q", want.Index, got.Extensions, want.Extensions)
		}
	}

	assertIndexes(t, s, 1, 256)
	assertIndexes(t, other, 9, 9)

	var missing raft.Log
	if err := s.GetLog(4, &missing); !errors.Is(err, raft.ErrLogNotFound) {
		t.Errorf("get missing log: err %v, want raft.ErrLogNotFound", err)
	}
}

func TestStore_DeleteRange(t *testing.T) {
	tests := []struct {
		name                string
		min, max            uint64
		wantFirst, wantLast uint64
	}{
		{"prefix", 1, 3, 4, 10},
		{"suffix", 8, 10, 1, 7},
		{"all", 1, 10, 0, 0},
		{"to max uint64", 5, ^uint64(0), 1, 4},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewStore(mustOpenDB(t), "group:g")
			for i := uint64(1); i <= 10; i++ {
				if err := s.StoreLog(&raft.Log{Index: i, Term: 1}); err != nil {
					t.Fatalf("store log %d: %v", i, err)
				}
			}

			if err := s.DeleteRange(tt.min, tt.max); err != nil {
				t.Fatalf("delete range: %v", err)
			}
			assertIndexes(t, s, tt.wantFirst, tt.wantLast)
		})
	}
}

func assertIndexes(t *testing.T, s *Store, wantFirst, wantLast uint64) {
	t.Helper()

	first, err := s.FirstIndex()
	if err != nil || first != wantFirst {
		t.Errorf("first index = %d, %v; want %d", first, err, wantFirst)
	}
	last, err := s.LastIndex()
	if err != nil || last != wantLast {
		t.Errorf("last index = %d, %v; want %d", last, err, wantLast)
	}
}

func TestStore_Stable(t *testing.T) {
	s := NewStore(mustOpenDB(t), "brand:a")

	if got, err := s.Get([]byte("missing")); err != nil || len(got) != 0 {
		t.Errorf("get missing = %q, %v; want empty", got, err)
	}
	if got, err := s.GetUint64([]byte("missing")); err != nil || got != 0 {
		t.Errorf("get missing uint64 = %d, %v; want 0", got, err)
	}

	if err := s.Set([]byte("LastVoteCand"), []byte("node2")); err != nil {
		t.Fatalf("set: %v", err)
	}
	if err := s.SetUint64([]byte("CurrentTerm"), 42); err != nil {
		t.Fatalf("set uint64: %v", err)
	}

	if got, err := s.Get([]byte("LastVoteCand")); err != nil || string(got) != "node2" {
		t.Errorf("get = %q, %v; want node2", got, err)
	}
	if got, err := s.GetUint64([]byte("CurrentTerm")); err != nil || got != 42 {
		t.Errorf("get uint64 = %d, %v; want 42", got, err)
	}
}

func TestCommand_EncodeRoundTrip(t *testing.T) {
	want := Command{ID: "c1", Op: OpForget, CustomerID: "client-a", Origin: "node1",
		At: time.Date(2026, 3, 1, 10, 0, 0, 5, time.UTC), Payload: []byte(`{"name":"x"}`)}

	data, err := encodeCommand(want)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	got, err := decodeCommand(data)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip = %+v, want %+v", got, want)
	}

	if _, err := decodeCommand([]byte("{}")); err == nil {
		t.Error("decode of data without entry kind succeeded, want error")
	}
}
