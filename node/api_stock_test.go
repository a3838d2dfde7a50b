package node

import (
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/omotenashi/omotenashi/internal/testassets"
	"github.com/omotenashi/omotenashi/node/catalog"
)

// sizedCSV is a catalogue with pumps in four sizes, none in stock, and a bag without sizes.
const sizedCSV = `sku,name,category,materials,colors,collection,sizes,price,currency,stock
SHO-020,Black leather pumps,shoes,leather,black,Atelier,36|37|38|39,950,EUR,0
BAG-001,Pearl-embroidered evening bag,bags,silk|pearl,ivory,Riviera,,4200,EUR,2
`

// mustSetStock sends body to the stock route of sku and returns the item in the response.
func (tn *testNode) mustSetStock(t *testing.T, sku, body string) catalog.Item {
	t.Helper()
	var it catalog.Item
	mustUnmarshal(t, tn.mustCall(t, http.StatusOK, "PUT", "/v1/catalog/"+sku+"/stock", body),
		&it)
	return it
}

func TestAPI_SetStockPerSize(t *testing.T) {
	tn := mustStartNode(t, nil)
	tn.mustImportCatalog(t, "text/csv", sizedCSV)
	boutique := tn.cfg.StoreName

	it := tn.mustSetStock(t, "SHO-020", `{"sizes": {"37": 2, "39": 1}}`)
	if it.StockAt(boutique) != 3 {
		t.Errorf("total = %d, want 3", it.StockAt(boutique))
	}
	if !maps.Equal(it.SizeStock[boutique], map[string]int{"37": 2, "39": 1}) {
		t.Errorf("sizes = %v, want 37:2 and 39:1", it.SizeStock)
	}

	var stored catalog.Item
	mustUnmarshal(t, tn.mustCall(t, http.StatusOK, "GET", "/v1/catalog/SHO-020", ""), &stored)
	if got := stored.StockInSizes(boutique, []string{"38"}); got != 0 {
		t.Errorf("stored stock in 38 = %d, want 0", got)
	}
	if got := stored.StockInSizes(boutique, []string{"37"}); got != 2 {
		t.Errorf("stored stock in 37 = %d, want 2", got)
	}

	it = tn.mustSetStock(t, "SHO-020", `{"stock": 4}`)
	if it.StockAt(boutique) != 4 {
		t.Errorf("total after a total = %d, want 4", it.StockAt(boutique))
	}
	if it.SizeStock != nil {
		t.Errorf("sizes after a total = %v, want none", it.SizeStock)
	}
}

func TestAPI_SetStockErrors(t *testing.T) {
	tn := mustStartNode(t, nil)
	tn.mustImportCatalog(t, "text/csv", sizedCSV)
	tn.mustSetStock(t, "SHO-020", `{"sizes": {"38": 1}}`)

	tests := []struct {
		name, sku, body string
		want            int
		message         string
	}{
		{"neither", "SHO-020", `{}`, 400, "field stock or sizes is required"},
		{"both", "SHO-020", `{"stock": 1, "sizes": {"37": 1}}`, 400, "not both"},
		{"empty sizes", "SHO-020", `{"sizes": {}}`, 400, "lists no sizes"},
		{"size not of the item", "SHO-020", `{"sizes": {"41": 1}}`, 400,
			`size \"41\" is not one of the item's sizes 36|37|38|39`},
		{"negative count", "SHO-020", `{"sizes": {"37": -1}}`, 400, "stock -1"},
		{"count not a number", "SHO-020", `{"sizes": {"37": "two"}}`, 400,
			"malformed JSON"},
		{"count a fraction", "SHO-020", `{"sizes": {"37": 1.5}}`, 400, "malformed JSON"},
		{"sizes a list", "SHO-020", `{"sizes": ["37"]}`, 400, "malformed JSON"},
		{"unknown field", "SHO-020", `{"size": {"37": 1}}`, 400, "unknown field"},
		{"item without sizes", "BAG-001", `{"sizes": {"37": 1}}`, 400,
			"the item has no sizes"},
		{"unknown item", "SHO-999", `{"sizes": {"37": 1}}`, 404, "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, data := tn.call(t, "PUT", "/v1/catalog/"+tt.sku+"/stock",
				"application/json", strings.NewReader(tt.body))
			if status != tt.want {
				t.Fatalf("status %d, want %d: %s", status, tt.want, data)
			}
			if !strings.Contains(string(data), tt.message) {
				t.Errorf("body %s, want a message containing %q", data, tt.message)
			}
		})
	}

	var it catalog.Item
	mustUnmarshal(t, tn.mustCall(t, http.StatusOK, "GET", "/v1/catalog/SHO-020", ""), &it)
	if !maps.Equal(it.SizeStock[tn.cfg.StoreName], map[string]int{"38": 1}) {
		t.Errorf("sizes after rejected requests = %v, want 38:1", it.SizeStock)
	}
}

func TestAPI_RecommendationsInHerSize(t *testing.T) {
	tn := mustStartNode(t, nil)
	tn.mustImportCatalog(t, "text/csv", sizedCSV)
	id := tn.mustEnroll(t, "Aiko Tanaka", map[string][]byte{
		"a.jpg": testassets.ReadFile(t, "../vision/testdata/face.jpg"),
	})
	base := "/v1/customers/" + id
	tn.mustCall(t, http.StatusCreated, "PUT", base+"/preferences", `{"sizes":["37"]}`)
	tn.mustCall(t, http.StatusCreated, "POST", base+"/inquiries", `{"sku":"SHO-020"}`)

	tn.mustSetStock(t, "SHO-020", `{"sizes": {"37": 0, "39": 3}}`)
	for _, s := range tn.mustRecommend(t, id) {
		if s.SKU == "SHO-020" {
			t.Errorf("pumps suggested with 3 pairs in 39 and none in 37: %+v", s)
		}
	}

	tn.mustSetStock(t, "SHO-020", `{"sizes": {"37": 1, "39": 3}}`)
	after := tn.mustRecommend(t, id)
	if len(after) == 0 || after[0].SKU != "SHO-020" {
		t.Errorf("after a pair in 37 arrived = %+v, want the pumps first", after)
	}
}
