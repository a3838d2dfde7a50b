package node

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/omotenashi/omotenashi/internal/testassets"
)

// TestAPI_PurchaseBodies records purchases with and without a price or a currency, and
// checks what is stored or why it is rejected.
func TestAPI_PurchaseBodies(t *testing.T) {
	tn := mustStartNode(t, nil)
	tn.mustImportCatalog(t, "text/csv", boutiqueCSV)
	id := tn.mustEnroll(t, "Aiko Tanaka", map[string][]byte{
		"a.jpg": testassets.ReadFile(t, "../vision/testdata/face.jpg"),
	})
	path := "/v1/customers/" + id + "/purchases"
	tomorrow := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)

	cases := []struct {
		name     string
		body     string
		want     int
		price    float64
		currency string
	}{
		{"sku only takes the catalogue price", `{"sku":"BAG-001"}`, 201, 4200, "EUR"},
		{"a discount keeps its price", `{"sku":"BAG-001","price":3900}`, 201, 3900, "EUR"},
		{"null price takes the catalogue price", `{"sku":"BAG-001","price":null}`, 201,
			4200, "EUR"},
		{"a price in another currency", `{"sku":"BAG-001","price":700000,"currency":"JPY"}`,
			201, 700000, "JPY"},
		{"another currency needs a price", `{"sku":"BAG-001","currency":"JPY"}`, 400, 0, ""},
		{"an unknown sku needs a price", `{"sku":"NOPE-1"}`, 400, 0, ""},
		{"an unknown sku with price and currency",
			`{"sku":"NOPE-1","price":50,"currency":"EUR"}`, 201, 50, "EUR"},
		{"not an ISO 4217 currency", `{"sku":"BAG-001","price":100,"currency":"XYZ"}`,
			400, 0, ""},
		{"a price as text", `{"sku":"BAG-001","price":"4 200"}`, 400, 0, ""},
		{"three decimals in euros", `{"sku":"BAG-001","price":12.345}`, 400, 0, ""},
		{"decimals in yen", `{"sku":"BAG-001","price":1.5,"currency":"JPY"}`, 400, 0, ""},
		{"a price of 1e300", `{"sku":"BAG-001","price":1e300}`, 400, 0, ""},
		{"a negative price", `{"sku":"BAG-001","price":-1}`, 400, 0, ""},
		{"dated two days ahead", `{"sku":"BAG-001","at":"` + tomorrow + `"}`, 400, 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := tn.purchaseCount(t, id)
			tn.mustCall(t, tc.want, "POST", path, tc.body)
			c, err := tn.store.Get(id)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want != http.StatusCreated {
				if len(c.Purchases) != before {
					t.Fatalf("a rejected purchase was stored: %+v", c.Purchases[before:])
				}
				return
			}
			got := c.Purchases[len(c.Purchases)-1]
			if got.Price != tc.price || got.Currency != tc.currency {
				t.Errorf("stored %v %s, want %v %s", got.Price, got.Currency, tc.price,
					tc.currency)
			}
		})
	}
}

// TestAPI_FutureDates rejects an inquiry, a visit and a note dated two days ahead.
func TestAPI_FutureDates(t *testing.T) {
	tn := mustStartNode(t, nil)
	id := tn.mustEnroll(t, "Aiko Tanaka", map[string][]byte{
		"a.jpg": testassets.ReadFile(t, "../vision/testdata/face.jpg"),
	})
	ahead := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	hourAhead := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	base := "/v1/customers/" + id

	tn.mustCall(t, http.StatusBadRequest, "POST", base+"/inquiries",
		`{"item":"pearl clutch","at":"`+ahead+`"}`)
	tn.mustCall(t, http.StatusBadRequest, "POST", base+"/visits", `{"at":"`+ahead+`"}`)
	tn.mustCall(t, http.StatusBadRequest, "POST", base+"/notes",
		`{"text":"prefers mornings","at":"`+ahead+`"}`)
	// A till whose clock runs an hour ahead is still accepted.
	tn.mustCall(t, http.StatusCreated, "POST", base+"/inquiries",
		`{"item":"pearl clutch","at":"`+hourAhead+`"}`)
}

// purchaseCount returns how many purchases the client has.
func (tn *testNode) purchaseCount(t *testing.T, id string) int {
	t.Helper()
	c, err := tn.store.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	return len(c.Purchases)
}

// TestAPI_SaleLowersStock records sales here and checks the stock left: a piece of the
// total, a piece of the size she took, nothing for a sale recorded for another boutique.
func TestAPI_SaleLowersStock(t *testing.T) {
	tn := mustStartNode(t, nil)
	tn.mustImportCatalog(t, "text/csv", boutiqueCSV)
	tn.mustCall(t, http.StatusOK, "PUT", "/v1/catalog/SHO-010/stock",
		`{"sizes":{"37":1,"38":2}}`)
	id := tn.mustEnroll(t, "Aiko Tanaka", map[string][]byte{
		"a.jpg": testassets.ReadFile(t, "../vision/testdata/face.jpg"),
	})
	path := "/v1/customers/" + id + "/purchases"

	tn.mustCall(t, http.StatusCreated, "POST", path, `{"sku":"BAG-001"}`)
	tn.mustCall(t, http.StatusCreated, "POST", path, `{"sku":"SHO-010","size":"38"}`)
	tn.mustCall(t, http.StatusCreated, "POST", path, `{"sku":"JEW-001","store":"Paris"}`)
	tn.mustCall(t, http.StatusBadRequest, "POST", path, `{"sku":"SHO-010","size":"41"}`)
	tn.mustCall(t, http.StatusBadRequest, "POST", path, `{"sku":"SHO-010"}`)

	cat := tn.catalog()
	cases := []struct {
		sku, size string
		want      int
	}{
		{"BAG-001", "", 1},   // 2 in stock, one sold
		{"SHO-010", "38", 1}, // 2 in 38, one sold
		{"SHO-010", "37", 1}, // untouched
		{"JEW-001", "", 3},   // sold in Paris, not here
	}
	for _, tc := range cases {
		it, err := cat.Get(tc.sku)
		if err != nil {
			t.Fatal(err)
		}
		got := it.StockAt(cat.Boutique())
		if tc.size != "" {
			got = it.StockInSizes(cat.Boutique(), []string{tc.size})
		}
		if got != tc.want {
			t.Errorf("%s %s: %d left, want %d", tc.sku, tc.size, got, tc.want)
		}
	}
}

// TestAPI_ParallelSales records ten sales of one item at once and checks that each took
// its piece.
func TestAPI_ParallelSales(t *testing.T) {
	tn := mustStartNode(t, nil)
	tn.mustImportCatalog(t, "text/csv", boutiqueCSV)
	tn.mustCall(t, http.StatusOK, "PUT", "/v1/catalog/BAG-001/stock", `{"stock":20}`)
	id := tn.mustEnroll(t, "Aiko Tanaka", map[string][]byte{
		"a.jpg": testassets.ReadFile(t, "../vision/testdata/face.jpg"),
	})

	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			status, data := tn.call(t, "POST", "/v1/customers/"+id+"/purchases",
				"application/json", strings.NewReader(`{"sku":"BAG-001"}`))
			if status != http.StatusCreated {
				t.Errorf("purchase: %d %s", status, data)
			}
		})
	}
	wg.Wait()

	it, err := tn.catalog().Get("BAG-001")
	if err != nil {
		t.Fatal(err)
	}
	if left := it.StockAt(tn.catalog().Boutique()); left != 10 {
		t.Errorf("%d left after 10 sales of 20, want 10", left)
	}
	sales, err := tn.catalog().Sales()
	if err != nil {
		t.Fatal(err)
	}
	if sales["BAG-001"] != 10 {
		t.Errorf("%d sales counted, want 10", sales["BAG-001"])
	}
}
