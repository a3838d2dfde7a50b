package node

import (
	"net/http"
	"strings"
	"testing"

	"github.com/omotenashi/omotenashi/internal/testassets"
)

// An item on her wishlist is an inquiry marked as a wish, and comes back in stock as the
// first suggestion with a reason that names the wishlist.
func TestAPI_Wishlist(t *testing.T) {
	tn := mustStartNode(t, nil)
	tn.mustImportCatalog(t, "text/csv", boutiqueCSV)
	id := tn.mustEnroll(t, "Aiko Tanaka", map[string][]byte{
		"a.jpg": testassets.ReadFile(t, "../vision/testdata/face.jpg"),
	})
	base := "/v1/customers/" + id

	tn.mustCall(t, http.StatusCreated, "PUT", base+"/preferences", `{"sizes":["37"]}`)
	tn.mustCall(t, http.StatusCreated, "POST", base+"/wishlist", `{"sku":"SHO-010"}`)
	tn.mustCall(t, http.StatusBadRequest, "POST", base+"/wishlist", `{"sku":""}`)
	tn.mustCall(t, http.StatusBadRequest, "POST", base+"/wishlist", `{"sku":"SHO-010","x":1}`)
	tn.mustCall(t, http.StatusNotFound, "POST", "/v1/customers/nobody/wishlist",
		`{"sku":"SHO-010"}`)

	c, err := tn.store.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Inquiries) != 1 || !c.Inquiries[0].Wish || c.Inquiries[0].Item != "Nude satin slippers" {
		t.Fatalf("inquiries = %+v, want one wish for the slippers", c.Inquiries)
	}

	tn.mustCall(t, http.StatusOK, "PUT", "/v1/catalog/SHO-010/stock", `{"stock":1}`)
	got := tn.mustRecommend(t, id)
	if len(got) == 0 || got[0].SKU != "SHO-010" ||
		!strings.Contains(got[0].Reason, "on her wishlist") {
		t.Fatalf("suggestions = %+v, want the slippers first, from her wishlist", got)
	}
}
