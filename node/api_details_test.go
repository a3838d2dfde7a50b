package node

import (
	"net/http"
	"testing"
	"time"

	"github.com/omotenashi/omotenashi/internal/testassets"
	"github.com/omotenashi/omotenashi/node/profile"
)

func TestAPI_SetDetails(t *testing.T) {
	tn := mustStartNode(t, nil)
	id := tn.mustEnroll(t, "Aiko Tanaka", map[string][]byte{
		"a.jpg": testassets.ReadFile(t, "../vision/testdata/face.jpg"),
	})
	base := "/v1/customers/" + id
	inThreeDays := time.Now().AddDate(0, 0, 3).Format("01-02")

	tn.mustCall(t, http.StatusCreated, "PUT", base+"/details", `{"name":"Aiko Sato",
		"address":"Mrs Sato","language":"ja","favorite_assistant":"Chloé",
		"important_dates":[{"label":"Birthday","date":"`+inThreeDays+`"},
		{"label":"Wedding anniversary","date":"2019-06-20"}]}`)

	c, err := tn.store.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Aiko Sato" || c.Address != "Mrs Sato" || c.FavoriteAssistant != "Chloé" ||
		len(c.ImportantDates) != 2 {
		t.Fatalf("stored details = %+v", c.Details())
	}
	if len(c.Descriptors) == 0 || c.Consent.Scope != profile.ScopeBrand {
		t.Fatalf("details changed her descriptors or consent: %d, %q", len(c.Descriptors),
			c.Consent.Scope)
	}

	card := tn.card(c)
	if len(card.UpcomingDates) != 1 || card.UpcomingDates[0].Label != "Birthday" ||
		card.UpcomingDates[0].InDays != 3 {
		t.Errorf("upcoming dates on the card = %+v, want her birthday in 3 days",
			card.UpcomingDates)
	}

	bad := []struct {
		name, path, body string
		want             int
	}{
		{"no name", base + "/details", `{"address":"Mrs Sato"}`, http.StatusBadRequest},
		{"impossible date", base + "/details",
			`{"name":"Aiko","important_dates":[{"label":"Birthday","date":"02-30"}]}`,
			http.StatusBadRequest},
		{"malformed JSON", base + "/details", `{"name":`, http.StatusBadRequest},
		{"unknown client", "/v1/customers/nobody/details", `{"name":"Aiko"}`,
			http.StatusNotFound},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			tn.mustCall(t, tc.want, "PUT", tc.path, tc.body)
		})
	}
	after, err := tn.store.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if after.Name != "Aiko Sato" || len(after.ImportantDates) != 2 {
		t.Errorf("a rejected request changed her details: %+v", after.Details())
	}
}

func TestUpcoming(t *testing.T) {
	from := time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC)
	dates := []profile.ImportantDate{
		{Label: "Birthday", Date: "12-18"},       // 14 days: shown
		{Label: "Name day", Date: "12-19"},       // 15 days: too far
		{Label: "Anniversary", Date: "12-04"},    // today
		{Label: "Return", Date: "2026-12-05"},    // tomorrow, once
		{Label: "Gala", Date: "2026-12-01"},      // passed
		{Label: "New year party", Date: "01-01"}, // 28 days
	}
	got := upcoming(dates, from)
	want := []UpcomingDate{
		{Label: "Anniversary", Date: "2026-12-04", InDays: 0},
		{Label: "Return", Date: "2026-12-05", InDays: 1},
		{Label: "Birthday", Date: "2026-12-18", InDays: 14},
	}
	if len(got) != len(want) {
		t.Fatalf("upcoming = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("upcoming[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
}
