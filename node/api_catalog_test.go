package node

import (
	"net/http"
	"strings"
	"testing"

	"github.com/omotenashi/omotenashi/internal/testassets"
	"github.com/omotenashi/omotenashi/node/catalog"
	"github.com/omotenashi/omotenashi/node/recommend"
)

// boutiqueCSV is a small catalogue: the nude slippers are out of stock.
const boutiqueCSV = `sku,name,category,materials,colors,collection,sizes,price,currency,stock
BAG-001,Pearl-embroidered evening bag,bags,silk|pearl,ivory,Riviera,,4200,EUR,2
JEW-001,Riviera pearl drop earrings,jewellery,pearl|gold,white,Riviera,,900,EUR,3
SHO-010,Nude satin slippers,shoes,satin,nude,Atelier,37|38,890,EUR,0
SCA-001,Hiver cashmere stole,scarves,cashmere,grey,Hiver,,1200,EUR,1
`

// mustImportCatalog posts a catalogue and returns the result.
func (tn *testNode) mustImportCatalog(t *testing.T, contentType, body string) catalog.Result {
	t.Helper()
	status, data := tn.call(t, "POST", "/v1/catalog", contentType, strings.NewReader(body))
	if status != http.StatusOK {
		t.Fatalf("import catalogue: %d %s", status, data)
	}
	var res catalog.Result
	mustUnmarshal(t, data, &res)
	return res
}

// mustCall sends a request and fails the test unless the status is want.
func (tn *testNode) mustCall(t *testing.T, want int, method, path, body string) []byte {
	t.Helper()
	status, data := tn.call(t, method, path, "application/json", strings.NewReader(body))
	if status != want {
		t.Fatalf("%s %s: %d %s, want %d", method, path, status, data, want)
	}
	return data
}

func TestAPI_CatalogImportAndSearch(t *testing.T) {
	tn := mustStartNode(t, nil)

	res := tn.mustImportCatalog(t, "text/csv", boutiqueCSV+
		"BAD-1,Broken,bags,silk,ivory,Riviera,,12,EURO,1\n")
	if res.Applied != 4 {
		t.Errorf("applied = %d, want 4", res.Applied)
	}
	if len(res.Rejected) != 1 || res.Rejected[0].Line != 6 {
		t.Errorf("rejected = %+v, want line 6", res.Rejected)
	}

	res = tn.mustImportCatalog(t, "application/json; charset=utf-8",
		`[{"sku":"BAG-001","name":"Pearl evening bag","category":"bags","price":4300,`+
			`"currency":"EUR","stock":1}]`)
	if res.Applied != 1 || len(res.Rejected) != 0 {
		t.Errorf("JSON upsert = %+v, want 1 applied", res)
	}

	var found struct{ Items []catalog.Item }
	mustUnmarshal(t, tn.mustCall(t, http.StatusOK, "GET", "/v1/catalog?q=pearl", ""), &found)
	if len(found.Items) != 2 {
		t.Fatalf("search pearl = %+v, want 2 items", found.Items)
	}
	if found.Items[0].Name != "Pearl evening bag" || found.Items[0].StockAt(tn.cfg.StoreName) != 1 {
		t.Errorf("first result = %+v, want the upserted bag with stock 1", found.Items[0])
	}

	var it catalog.Item
	mustUnmarshal(t, tn.mustCall(t, http.StatusOK, "GET", "/v1/catalog/SHO-010", ""), &it)
	if it.Name != "Nude satin slippers" || len(it.Sizes) != 2 {
		t.Errorf("SHO-010 = %+v", it)
	}
}

func TestAPI_CatalogErrors(t *testing.T) {
	tn := mustStartNode(t, nil)
	tn.mustImportCatalog(t, "text/csv", boutiqueCSV)

	tests := []struct {
		name, method, path, contentType, body string
		want                                  int
	}{
		{"import plain text", "POST", "/v1/catalog", "text/plain", "sku", 415},
		{"import no header", "POST", "/v1/catalog", "text/csv", "", 400},
		{"import malformed JSON", "POST", "/v1/catalog", "application/json", "[{", 400},
		{"unknown item", "GET", "/v1/catalog/NOPE-1", "", "", 404},
		{"restock unknown item", "PUT", "/v1/catalog/NOPE-1/stock", "application/json",
			`{"stock":1}`, 404},
		{"restock negative", "PUT", "/v1/catalog/SHO-010/stock", "application/json",
			`{"stock":-1}`, 400},
		{"restock without stock", "PUT", "/v1/catalog/SHO-010/stock", "application/json",
			`{}`, 400},
		{"search bad limit", "GET", "/v1/catalog?limit=0", "", "", 400},
		{"recommendations of nobody", "GET", "/v1/customers/nobody/recommendations", "", "",
			404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, data := tn.call(t, tt.method, tt.path, tt.contentType,
				strings.NewReader(tt.body))
			if status != tt.want {
				t.Fatalf("status %d, want %d: %s", status, tt.want, data)
			}
			if !strings.Contains(string(data), `"error"`) {
				t.Errorf("answer %s has no error message", data)
			}
		})
	}

	var stock catalog.Item
	mustUnmarshal(t, tn.mustCall(t, http.StatusOK, "GET", "/v1/catalog/SHO-010", ""), &stock)
	if stock.StockAt(tn.cfg.StoreName) != 0 {
		t.Errorf("SHO-010 stock after rejected restocks = %d, want 0", stock.StockAt(tn.cfg.StoreName))
	}
}

func TestAPI_CatalogImportNeedsManager(t *testing.T) {
	tn := mustStartNode(t, nil)
	var created struct{ Token string }
	mustUnmarshal(t, tn.mustCall(t, http.StatusCreated, "POST", "/v1/tokens",
		`{"name":"linh","role":"assistant"}`), &created)

	status, data := callWith(t, created.Token, "POST", tn.url+"/v1/catalog", "text/csv",
		strings.NewReader(boutiqueCSV))
	if status != http.StatusForbidden {
		t.Errorf("assistant import: %d %s, want 403", status, data)
	}
	status, data = callWith(t, created.Token, "GET", tn.url+"/v1/catalog", "", nil)
	if status != http.StatusOK {
		t.Errorf("assistant search: %d %s, want 200", status, data)
	}
}

func TestAPI_RecommendationsAfterRestock(t *testing.T) {
	tn := mustStartNode(t, nil)
	tn.mustImportCatalog(t, "text/csv", boutiqueCSV)
	id := tn.mustEnroll(t, "Aiko Tanaka", map[string][]byte{
		"a.jpg": testassets.ReadFile(t, "../vision/testdata/face.jpg"),
	})
	base := "/v1/customers/" + id

	tn.mustCall(t, http.StatusCreated, "PUT", base+"/preferences", `{"sizes":["38"]}`)
	tn.mustCall(t, http.StatusCreated, "POST", base+"/purchases", `{"sku":"JEW-001"}`)
	tn.mustCall(t, http.StatusCreated, "POST", base+"/inquiries", `{"sku":"SHO-010"}`)

	c, err := tn.store.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	got := c.Purchases[0]
	if got.Item != "Riviera pearl drop earrings" || got.Price != 900 || got.Currency != "EUR" {
		t.Errorf("purchase = %+v, want it filled from the catalogue", got)
	}
	if c.Inquiries[0].Item != "Nude satin slippers" {
		t.Errorf("inquiry item = %q, want it filled from the catalogue", c.Inquiries[0].Item)
	}
	sales, err := tn.catalog().Sales()
	if err != nil {
		t.Fatal(err)
	}
	if sales["JEW-001"] != 1 {
		t.Errorf("sales = %v, want JEW-001 counted once", sales)
	}

	before := tn.mustRecommend(t, id)
	for _, s := range before {
		if s.SKU == "SHO-010" || s.SKU == "JEW-001" {
			t.Errorf("before restock: %s suggested, out of stock or owned", s.SKU)
		}
	}
	if len(before) == 0 || before[0].SKU != "BAG-001" {
		t.Errorf("before restock = %+v, want the pearl bag first", before)
	}

	tn.mustCall(t, http.StatusOK, "PUT", "/v1/catalog/SHO-010/stock", `{"stock":2}`)
	after := tn.mustRecommend(t, id)
	if len(after) == 0 || after[0].SKU != "SHO-010" {
		t.Fatalf("after restock = %+v, want the slippers first", after)
	}
	if !strings.Contains(after[0].Reason, "She asked about the Nude satin slippers") {
		t.Errorf("reason = %q", after[0].Reason)
	}
}

func (tn *testNode) mustRecommend(t *testing.T, id string) []recommend.Suggestion {
	t.Helper()
	var out struct{ Items []recommend.Suggestion }
	mustUnmarshal(t, tn.mustCall(t, http.StatusOK, "GET",
		"/v1/customers/"+id+"/recommendations", ""), &out)
	return out.Items
}
