package auth

import (
	"errors"
	"testing"
	"time"
)

var auditBase = time.Date(2025, 3, 14, 10, 0, 0, 0, time.UTC)

func mustRecord(t *testing.T, audit *Audit, e Entry) {
	t.Helper()

	if err := audit.Record(e); err != nil {
		t.Fatalf("record %+v: %v", e, err)
	}
}

func details(entries []Entry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Detail
	}

	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}

	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}

	return true
}

func TestAudit_OrderAndFilter(t *testing.T) {
	db, _ := mustDB(t)
	audit := NewAudit(db)
	entries := []Entry{
		{At: auditBase.Add(3 * time.Minute), CustomerID: "a", Detail: "a+3"},
		{At: auditBase.Add(1 * time.Minute), CustomerID: "b", Detail: "b+1"},
		{At: auditBase.Add(2 * time.Minute), CustomerID: "a", Detail: "a+2 first"},
		{At: auditBase.Add(2 * time.Minute), CustomerID: "a", Detail: "a+2 second"},
		{At: auditBase, CustomerID: "a", Detail: "a+0"},
	}
	for _, e := range entries {
		e.Actor, e.TokenID, e.Action = "Linh", "tok1", "view"
		mustRecord(t, audit, e)
	}

	cases := []struct {
		name     string
		customer string
		since    time.Time
		limit    int
		want     []string
	}{
		{"all", "", time.Time{}, 0, []string{"a+0", "b+1", "a+2 first", "a+2 second", "a+3"}},
		{"one customer", "a", time.Time{}, 0, []string{"a+0", "a+2 first", "a+2 second", "a+3"}},
		{"since", "", auditBase.Add(2 * time.Minute), 0, []string{"a+2 first", "a+2 second", "a+3"}},
		{"limit", "a", time.Time{}, 2, []string{"a+0", "a+2 first"}},
		{"no match", "c", time.Time{}, 0, []string{}},
		{"since after all", "", auditBase.Add(time.Hour), 0, []string{}},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := audit.List(tc.customer, tc.since, tc.limit)
			if err != nil {
				t.Fatalf("list: %v", err)
			}

			if !equalStrings(details(got), tc.want) {
				t.Errorf("entries %q, want %q", details(got), tc.want)
			}
		})
	}
}

func TestAudit_RoundTrip(t *testing.T) {
	db, _ := mustDB(t)
	audit := NewAudit(db)
	local := time.FixedZone("ICT", 7*3600)
	e := Entry{At: auditBase.In(local), Actor: "Claire", TokenID: "tok2", Action: "export",
		CustomerID: "client-1", Detail: "subject access request"}
	mustRecord(t, audit, e)

	got, err := audit.List("client-1", time.Time{}, 0)
	if err != nil || len(got) != 1 {
		t.Fatalf("list: %d entries, err %v, want 1", len(got), err)
	}

	want := e
	want.At = auditBase
	if got[0] != want {
		t.Errorf("entry %+v, want %+v", got[0], want)
	}
}

func TestAudit_RecordSetsTime(t *testing.T) {
	db, _ := mustDB(t)
	audit := NewAudit(db)
	before := time.Now()
	mustRecord(t, audit, Entry{Actor: "Linh", Action: "view", CustomerID: "client-1"})

	got, err := audit.List("", before.Add(-time.Second), 0)
	if err != nil || len(got) != 1 {
		t.Fatalf("list: %d entries, err %v, want 1", len(got), err)
	}

	if got[0].At.Before(before) || got[0].At.After(time.Now()) {
		t.Errorf("entry time %v is not between %v and now", got[0].At, before)
	}
}

func TestAudit_RecordInvalid(t *testing.T) {
	db, _ := mustDB(t)
	audit := NewAudit(db)
	cases := []struct {
		name  string
		entry Entry
	}{
		{"no actor", Entry{Action: "view"}},
		{"no action", Entry{Actor: "Linh"}},
		{"before 1970", Entry{Actor: "Linh", Action: "view",
			At: time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC)}},
		{"after 2262", Entry{Actor: "Linh", Action: "view",
			At: time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)}},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := audit.Record(tc.entry); !errors.Is(err, ErrInvalid) {
				t.Errorf("record: %v, want ErrInvalid", err)
			}
		})
	}

	if got, _ := audit.List("", time.Time{}, 0); len(got) != 0 {
		t.Errorf("invalid entries were stored: %+v", got)
	}
}
