package node

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/omotenashi/omotenashi/internal/testassets"
)

// TestAPI_RequestKeys sends writes twice with the same Idempotency-Key and checks that
// each is recorded once, that the second response reports it, and that a sale counts once.
func TestAPI_RequestKeys(t *testing.T) {
	tn := mustStartNode(t, nil)
	tn.mustImportCatalog(t, "text/csv", boutiqueCSV)
	id := tn.mustEnroll(t, "Aiko Tanaka", map[string][]byte{
		"a.jpg": testassets.ReadFile(t, "../vision/testdata/face.jpg"),
	})
	base := tn.url + "/v1/customers/" + id
	send := func(path, key, body string) (int, string) {
		req, err := http.NewRequest("POST", base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tn.token)
		req.Header.Set("Content-Type", "application/json")
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		data, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		var out struct{ Status string }
		mustUnmarshal(t, data, &out)
		return res.StatusCode, out.Status
	}

	cases := []struct {
		name, path, key, body string
		wantFirst, wantSecond int
	}{
		{"purchase", "/purchases", "till-42-0001", `{"sku":"JEW-001"}`, 201, 200},
		{"inquiry", "/inquiries", "tablet-7-a", `{"sku":"SHO-010"}`, 201, 200},
		{"wish", "/wishlist", "tablet-7-b", `{"sku":"SCA-001"}`, 201, 200},
		{"note", "/notes", "tablet-7-c", `{"text":"Prefers mornings."}`, 201, 200},
		{"visit", "/visits", "tablet-7-d", `{}`, 201, 200},
		{"no key records twice", "/notes", "", `{"text":"Ask for Inès."}`, 201, 201},
		{"the same key on another route is another request", "/inquiries", "till-42-0001",
			`{"sku":"BAG-001"}`, 201, 200},
		{"a retry for an item this boutique lacks", "/purchases", "till-42-0002",
			`{"sku":"ELSEWHERE-1","price":80,"currency":"EUR"}`, 201, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got, _ := send(tc.path, tc.key, tc.body); got != tc.wantFirst {
				t.Fatalf("first request: %d, want %d", got, tc.wantFirst)
			}
			got, status := send(tc.path, tc.key, tc.body)
			if got != tc.wantSecond {
				t.Fatalf("second request: %d, want %d", got, tc.wantSecond)
			}
			if got == http.StatusOK && status != "already recorded" {
				t.Errorf("second request status %q, want already recorded", status)
			}
		})
	}

	c, err := tn.store.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Purchases) != 2 || len(c.Inquiries) != 3 || len(c.Notes) != 3 ||
		len(c.Visits) != 1 {
		t.Errorf("recorded %d purchases, %d inquiries, %d notes, %d visits; want 2, 3, 3, 1",
			len(c.Purchases), len(c.Inquiries), len(c.Notes), len(c.Visits))
	}
	sales, err := tn.catalog().Sales()
	if err != nil {
		t.Fatal(err)
	}
	if sales["JEW-001"] != 1 {
		t.Errorf("JEW-001 sold %d times, want 1", sales["JEW-001"])
	}

	if got, _ := send("/notes", strings.Repeat("k", 201), `{"text":"x"}`); got != 400 {
		t.Errorf("a key of 201 characters: %d, want 400", got)
	}
	if got, _ := send("/notes", "tablet-7-c", `{"text":"Another note."}`); got != 422 {
		t.Errorf("a key used again with another body: %d, want 422", got)
	}
}
