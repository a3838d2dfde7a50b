package profile

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestValidateImportantDate(t *testing.T) {
	cases := []struct {
		name string
		date ImportantDate
		want error
	}{
		{"yearly", ImportantDate{"Birthday", "03-14"}, nil},
		{"yearly 29 February", ImportantDate{"Birthday", "02-29"}, nil},
		{"once", ImportantDate{"Wedding", "2027-06-20"}, nil},
		{"empty label", ImportantDate{" ", "03-14"}, ErrInvalid},
		{"label of 201 runes", ImportantDate{longString('誕', 201), "03-14"}, ErrInvalid},
		{"empty date", ImportantDate{"Birthday", ""}, ErrInvalid},
		{"day 31 of a 30-day month", ImportantDate{"Birthday", "04-31"}, ErrInvalid},
		{"30 February once", ImportantDate{"Trip", "2027-02-30"}, ErrInvalid},
		{"month 13", ImportantDate{"Birthday", "13-01"}, ErrInvalid},
		{"day first", ImportantDate{"Birthday", "14/03"}, ErrInvalid},
		{"time of day", ImportantDate{"Trip", "2027-01-05T10:00:00Z"}, ErrInvalid},
		{"leading year fragment", ImportantDate{"Birthday", "0-03-14"}, ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateImportantDate(tc.date)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("ValidateImportantDate(%+v) = %v, want %v", tc.date, err, tc.want)
			}
		})
	}
}

func TestImportantDate_Next(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, tokyo) }
	cases := []struct {
		name   string
		date   string
		from   time.Time
		want   time.Time
		wantOK bool
	}{
		{"yearly later this year", "12-24", day(2026, 12, 4), day(2026, 12, 24), true},
		{"yearly today counts", "12-04", time.Date(2026, 12, 4, 23, 59, 0, 0, tokyo),
			day(2026, 12, 4), true},
		{"yearly passed moves to next year", "03-14", day(2026, 12, 4), day(2027, 3, 14), true},
		{"29 February in a common year", "02-29", day(2027, 1, 10), day(2027, 2, 28), true},
		{"29 February in a leap year", "02-29", day(2028, 1, 10), day(2028, 2, 29), true},
		{"once ahead", "2027-01-05", day(2026, 12, 4), day(2027, 1, 5), true},
		{"once passed", "2026-11-30", day(2026, 12, 4), day(2026, 11, 30), false},
		{"malformed", "someday", day(2026, 12, 4), time.Time{}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ImportantDate{Label: "x", Date: tc.date}.Next(tc.from)
			if ok != tc.wantOK || !got.Equal(tc.want) {
				t.Fatalf("Next(%s) from %s = %s, %v; want %s, %v", tc.date, tc.from,
					got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestDecodeDetails(t *testing.T) {
	cases := []struct {
		name string
		body string
		want error
	}{
		{"all fields", `{"name":"Aiko Tanaka","address":"Ms Tanaka","language":"ja",
			"favorite_assistant":"Chloé","important_dates":[{"label":"Birthday","date":"03-14"}]}`,
			nil},
		{"name only", `{"name":"Aiko Tanaka"}`, nil},
		{"no name", `{"address":"Ms Tanaka"}`, ErrInvalid},
		{"a language tag with a region", `{"name":"Aiko","language":"en-GB"}`, nil},
		{"a language that is no tag", `{"name":"Aiko","language":"klingon"}`, ErrInvalid},
		{"a language name", `{"name":"Aiko","language":"Japanese"}`, ErrInvalid},
		{"unknown field", `{"name":"Aiko","birthday":"03-14"}`, ErrInvalid},
		{"bad date", `{"name":"Aiko","important_dates":[{"label":"Birthday","date":"3/14"}]}`,
			ErrInvalid},
		{"21 dates", `{"name":"Aiko","important_dates":[` +
			strings.Repeat(`{"label":"d","date":"01-01"},`, 20) +
			`{"label":"d","date":"01-01"}]}`, ErrInvalid},
		{"two values", `{"name":"Aiko"}{"name":"Mei"}`, ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeDetails(strings.NewReader(tc.body))
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("DecodeDetails = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestStore_SetDetails(t *testing.T) {
	s, _ := mustOpen(t)
	c := newCustomer("Aiko Tanaka", "Ms Tanaka")
	mustCreate(t, s, c)

	want := Details{Name: "Aiko Sato", Address: "Mrs Sato", Language: "ja",
		FavoriteAssistant: "Chloé",
		ImportantDates:    []ImportantDate{{Label: "Birthday", Date: "03-14"}}}
	if err := s.SetDetails(c.ID, want); err != nil {
		t.Fatal(err)
	}

	got := mustGet(t, s, c.ID)
	if got.Name != want.Name || got.Address != want.Address ||
		got.FavoriteAssistant != want.FavoriteAssistant ||
		len(got.ImportantDates) != 1 || got.ImportantDates[0] != want.ImportantDates[0] {
		t.Fatalf("stored details %+v, want %+v", got.Details(), want)
	}
	if len(got.Descriptors) != len(c.Descriptors) {
		t.Fatalf("descriptors %d after SetDetails, want %d kept", len(got.Descriptors),
			len(c.Descriptors))
	}
}

// An empty result is an empty list, so the API returns [] and not null.
func TestStore_ListNoMatchIsEmpty(t *testing.T) {
	s, _ := mustOpen(t)
	mustCreate(t, s, newCustomer("Aiko Tanaka", "Ms Tanaka"))

	got, err := s.List("nobody", 10)
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || len(got) != 0 {
		t.Fatalf("List(nobody) = %#v, want an empty, non-nil list", got)
	}
}
