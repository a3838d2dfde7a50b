package profile

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestStore_CreateGetRoundTrip(t *testing.T) {
	s, _ := mustOpen(t)
	at := time.Date(2025, 2, 1, 12, 0, 0, 0, time.UTC)
	c := &Customer{
		ID:                "client-1",
		Name:              "Tanaka Yuki",
		Address:           "Ms Tanaka",
		Language:          "ja",
		FavoriteAssistant: "Linh",
		Consent:           consent(ScopeGroup),
		Descriptors: []Descriptor{
			descriptor("dlib", 128, 0.1),
			descriptor("arcface", 512, 0.2),
		},
		Visits:      []Visit{{At: at, Store: "hcmc-dong-khoi", Decision: "match"}},
		Purchases:   []Purchase{{At: at, SKU: "BAG-42", Item: "Bag", Price: 3200.5, Currency: "EUR"}},
		Inquiries:   []Inquiry{{At: at, Item: "Silk scarf", Note: "in navy"}},
		Preferences: Preferences{Sizes: []string{"S"}, Colors: []string{"navy", "ivory"}},
		Notes:       []Note{{At: at, Author: "Linh", Text: "Prefers tea to coffee"}},
	}

	mustCreate(t, s, c)
	got := mustGet(t, s, "client-1")

	if !got.CreatedAt.Equal(testNow) || !got.UpdatedAt.Equal(testNow) {
		t.Errorf("created_at %v, updated_at %v, want both %v", got.CreatedAt, got.UpdatedAt, testNow)
	}

	if !reflect.DeepEqual(got, c) {
		t.Errorf("round trip changed the customer:\n got %+v\nwant %+v", got, c)
	}
}

func TestStore_CreateAssignsID(t *testing.T) {
	s, _ := mustOpen(t)
	c := newCustomer("Nguyen Thi Lan", "Ms Lan")

	mustCreate(t, s, c)

	if len(c.ID) != 26 {
		t.Fatalf("id %q has %d characters, want 26", c.ID, len(c.ID))
	}

	if err := ValidateID(c.ID); err != nil {
		t.Errorf("generated id is invalid: %v", err)
	}

	if got := mustGet(t, s, c.ID); got.Name != c.Name {
		t.Errorf("name %q, want %q", got.Name, c.Name)
	}
}

func TestStore_CreateExisting(t *testing.T) {
	s, _ := mustOpen(t)
	mustCreate(t, s, &Customer{ID: "dup", Name: "First"})

	err := s.Create(&Customer{ID: "dup", Name: "Second"})
	if !errors.Is(err, ErrExists) {
		t.Fatalf("second create: %v, want ErrExists", err)
	}

	if got := mustGet(t, s, "dup"); got.Name != "First" {
		t.Errorf("name %q after rejected create, want %q", got.Name, "First")
	}
}

func TestStore_GetMissing(t *testing.T) {
	s, _ := mustOpen(t)

	_, err := s.Get("nobody")
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("get: %v, want ErrNotFound", err)
	}
}

func TestStore_RecordsAppend(t *testing.T) {
	s, _ := mustOpen(t)
	c := newCustomer("Tanaka Yuki", "Ms Tanaka")
	mustCreate(t, s, c)

	steps := []struct {
		name string
		run  func() error
	}{
		{"visit", func() error {
			return s.RecordVisit(c.ID, Visit{Store: "paris", Decision: "match"})
		}},
		{"purchase", func() error {
			return s.RecordPurchase(c.ID, Purchase{SKU: "SC-1", Price: 450, Currency: "EUR"})
		}},
		{"inquiry", func() error { return s.RecordInquiry(c.ID, Inquiry{Item: "Loafers"}) }},
		{"preferences", func() error {
			return s.SetPreferences(c.ID, Preferences{Materials: []string{"cashmere"}})
		}},
		{"note", func() error {
			return s.AddNote(c.ID, Note{Author: "Linh", Text: "Birthday in May"})
		}},
		{"descriptor", func() error {
			d := descriptor("dlib", 128, 0.3)
			d.AddedAt, d.Origin = time.Time{}, OriginConfirmation
			return s.AddDescriptor(c.ID, d)
		}},
	}
	for _, step := range steps {
		if err := step.run(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
	}

	got := mustGet(t, s, c.ID)
	if len(got.Visits) != 1 || !got.Visits[0].At.Equal(testNow) {
		t.Errorf("visits %+v, want one at %v", got.Visits, testNow)
	}

	if len(got.Purchases) != 1 || got.Purchases[0].SKU != "SC-1" {
		t.Errorf("purchases %+v, want SC-1", got.Purchases)
	}

	if len(got.Inquiries) != 1 || got.Inquiries[0].Item != "Loafers" {
		t.Errorf("inquiries %+v, want Loafers", got.Inquiries)
	}

	if !reflect.DeepEqual(got.Preferences.Materials, []string{"cashmere"}) {
		t.Errorf("materials %v, want [cashmere]", got.Preferences.Materials)
	}

	if len(got.Notes) != 1 || got.Notes[0].Text != "Birthday in May" {
		t.Errorf("notes %+v, want the birthday note", got.Notes)
	}

	if len(got.Descriptors) != 2 || !got.Descriptors[1].AddedAt.Equal(testNow) {
		t.Errorf("descriptors: %d, want 2 with the second added at %v", len(got.Descriptors), testNow)
	}
}

func TestStore_RecordRejectsInvalid(t *testing.T) {
	s, _ := mustOpen(t)
	c := newCustomer("Tanaka Yuki", "Ms Tanaka")
	mustCreate(t, s, c)

	err := s.RecordPurchase(c.ID, Purchase{SKU: "SC-1", Price: -1, Currency: "EUR"})
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("negative price: %v, want ErrInvalid", err)
	}

	if got := mustGet(t, s, c.ID); len(got.Purchases) != 0 {
		t.Errorf("rejected purchase was stored: %+v", got.Purchases)
	}
}

func TestStore_UpdateKeepsIdentity(t *testing.T) {
	s, _ := mustOpen(t)
	mustCreate(t, s, &Customer{ID: "keep", Name: "Tanaka Yuki"})

	cases := []struct {
		name   string
		change func(*Customer)
	}{
		{"id", func(c *Customer) { c.ID = "other" }},
		{"created_at", func(c *Customer) { c.CreatedAt = c.CreatedAt.Add(time.Hour) }},
		{"empty name", func(c *Customer) { c.Name = " " }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Update("keep", func(c *Customer) error {
				tc.change(c)
				return nil
			})
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("update: %v, want ErrInvalid", err)
			}

			if got := mustGet(t, s, "keep"); got.Name != "Tanaka Yuki" {
				t.Errorf("name %q after rejected update", got.Name)
			}
		})
	}
}

func TestStore_UpdateFuncError(t *testing.T) {
	s, _ := mustOpen(t)
	mustCreate(t, s, &Customer{ID: "keep", Name: "Tanaka Yuki"})
	errStop := errors.New("stop")

	_, err := s.Update("keep", func(c *Customer) error {
		c.Name = "Changed"
		return errStop
	})
	if !errors.Is(err, errStop) {
		t.Fatalf("update: %v, want the error of fn", err)
	}

	if got := mustGet(t, s, "keep"); got.Name != "Tanaka Yuki" {
		t.Errorf("name %q after failed update, want the old one", got.Name)
	}
}

func TestStore_UpdateMissing(t *testing.T) {
	s, _ := mustOpen(t)

	err := s.RecordVisit("nobody", Visit{Store: "paris"})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("record visit: %v, want ErrNotFound", err)
	}
}

func TestStore_ReopenKeepsData(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	kept := newCustomer("Tanaka Yuki", "Ms Tanaka")
	mustCreate(t, s, kept)
	mustCreate(t, s, &Customer{ID: "gone", Name: "Le Van An"})
	if err := s.Forget("gone", "manager"); err != nil {
		t.Fatalf("forget: %v", err)
	}

	before := s.Stats()
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}

	s = openStore(t, dir)
	defer s.Close()

	if got := mustGet(t, s, kept.ID); !reflect.DeepEqual(got, kept) {
		t.Errorf("after reopen:\n got %+v\nwant %+v", got, kept)
	}

	if err := s.Create(&Customer{ID: "gone", Name: "Le Van An"}); !errors.Is(err, ErrForgotten) {
		t.Errorf("create forgotten id after reopen: %v, want ErrForgotten", err)
	}

	if after := s.Stats(); after != before {
		t.Errorf("stats after reopen %+v, before %+v", after, before)
	}
}

func TestStore_ConcurrentVisits(t *testing.T) {
	s, _ := mustOpen(t)
	c := newCustomer("Tanaka Yuki", "Ms Tanaka")
	mustCreate(t, s, c)
	const writers = 50

	errs := make(chan error, writers)
	for i := range writers {
		go func() {
			errs <- s.RecordVisit(c.ID, Visit{Store: fmt.Sprintf("store-%02d", i), Decision: "match"})
		}()
	}

	for range writers {
		if err := <-errs; err != nil {
			t.Errorf("record visit: %v", err)
		}
	}

	stores := make(map[string]bool)
	for _, v := range mustGet(t, s, c.ID).Visits {
		stores[v.Store] = true
	}

	if len(stores) != writers {
		t.Errorf("%d distinct visits stored, want %d", len(stores), writers)
	}
}

func TestStore_List(t *testing.T) {
	s, _ := mustOpen(t)
	mustCreate(t, s, &Customer{ID: "a", Name: "Tanaka Yuki", Address: "Ms Tanaka",
		Consent: consent(ScopeStore)})
	mustCreate(t, s, &Customer{ID: "b", Name: "Nguyễn Thị Lan", Address: "Madame Nguyễn"})
	mustCreate(t, s, &Customer{ID: "c", Name: "Claire Dubois", Address: "Madame Dubois"})

	cases := []struct {
		query string
		limit int
		want  []string
	}{
		{"tanaka", 0, []string{"a"}},
		{"MADAME", 0, []string{"b", "c"}},
		{"nguyễn", 0, []string{"b"}},
		{"", 0, []string{"a", "b", "c"}},
		{"", 2, []string{"a", "b"}},
		{"nobody", 0, nil},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			got, err := s.List(tc.query, tc.limit)
			if err != nil {
				t.Fatalf("list: %v", err)
			}

			var ids []string
			for _, summary := range got {
				ids = append(ids, summary.ID)
			}

			if !reflect.DeepEqual(ids, tc.want) {
				t.Errorf("ids %v, want %v", ids, tc.want)
			}
		})
	}

	got, _ := s.List("tanaka", 0)
	want := Summary{ID: "a", Name: "Tanaka Yuki", Address: "Ms Tanaka", Scope: ScopeStore}
	if len(got) != 1 || got[0] != want {
		t.Errorf("summary %+v, want %+v", got, want)
	}
}

func TestStore_EachStopsOnError(t *testing.T) {
	s, _ := mustOpen(t)
	for _, id := range []string{"a", "b", "c"} {
		mustCreate(t, s, &Customer{ID: id, Name: "Client " + id})
	}

	var seen []string
	err := s.Each(func(c *Customer) error {
		seen = append(seen, c.ID)
		return nil
	})
	if err != nil || strings.Join(seen, ",") != "a,b,c" {
		t.Errorf("each: seen %v, err %v, want a,b,c and no error", seen, err)
	}

	errStop := errors.New("stop")
	seen = nil
	err = s.Each(func(c *Customer) error {
		seen = append(seen, c.ID)
		return errStop
	})
	if !errors.Is(err, errStop) || len(seen) != 1 {
		t.Errorf("each with error: seen %v, err %v, want one customer and errStop", seen, err)
	}
}

func TestStore_Stats(t *testing.T) {
	s, _ := mustOpen(t)
	a := newCustomer("Tanaka Yuki", "Ms Tanaka")
	mustCreate(t, s, a)
	mustCreate(t, s, newCustomer("Le Van An", "Mr An"))
	if err := s.AddDescriptor(a.ID, descriptor("dlib", 128, 0.5)); err != nil {
		t.Fatalf("add descriptor: %v", err)
	}

	want := Stats{Customers: 2, Descriptors: 3}
	if got := s.Stats(); got != want {
		t.Errorf("stats %+v, want %+v", got, want)
	}

	if err := s.Forget(a.ID, "manager"); err != nil {
		t.Fatalf("forget: %v", err)
	}

	want = Stats{Customers: 1, Descriptors: 1, Tombstones: 1}
	if got := s.Stats(); got != want {
		t.Errorf("stats after forget %+v, want %+v", got, want)
	}
}

func TestStore_Export(t *testing.T) {
	s, _ := mustOpen(t)
	c := newCustomer("Tanaka Yuki", "Ms Tanaka")
	mustCreate(t, s, c)
	if err := s.AddNote(c.ID, Note{Author: "Linh", Text: "Prefers tea"}); err != nil {
		t.Fatalf("add note: %v", err)
	}

	out, err := s.Export(c.ID)
	if err != nil {
		t.Fatalf("export: %v", err)
	}

	if !strings.Contains(string(out), "\n  \"name\": \"Tanaka Yuki\"") {
		t.Errorf("export is not indented JSON with the name:\n%s", out)
	}

	var decoded Customer
	if err := json.Unmarshal(out, &decoded); err != nil {
		t.Fatalf("decode export: %v", err)
	}

	if want := mustGet(t, s, c.ID); !reflect.DeepEqual(&decoded, want) {
		t.Errorf("export:\n got %+v\nwant %+v", decoded, want)
	}
}
