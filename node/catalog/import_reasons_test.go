package catalog

import (
	"errors"
	"strings"
	"testing"
)

// bagFields are the fields of the bag of jsonOneRow, in the order it writes them.
var bagFields = []string{"sku", "name", "category", "price", "currency", "stock"}

// jsonOneRow returns a JSON import of one valid bag, with values given as pairs of a field
// and its raw JSON value replacing the bag's own or added after them.
func jsonOneRow(pairs ...string) string {
	values := map[string]string{
		"sku": `"BAG-001"`, "name": `"Evening bag"`, "category": `"bags"`, "price": "4200",
		"currency": `"EUR"`, "stock": "2",
	}
	var extra []string
	for i := 0; i+1 < len(pairs); i += 2 {
		if _, known := values[pairs[i]]; !known {
			extra = append(extra, pairs[i])
		}
		values[pairs[i]] = pairs[i+1]
	}

	var members []string
	for _, field := range append(bagFields, extra...) {
		members = append(members, `"`+field+`": `+values[field])
	}
	return "[\n  {" + strings.Join(members, ", ") + "}\n]"
}

// csvOneRow returns a CSV import of one valid pair of slippers, with the cells given as
// pairs of a column and its cell replacing the slippers' own.
func csvOneRow(pairs ...string) string {
	cells := map[string]string{
		"sku": "SHO-010", "name": "Nude satin slippers", "category": "shoes",
		"materials": "satin", "colors": "nude", "collection": "Atelier", "sizes": "36|37",
		"price": "890", "currency": "EUR", "stock": "3",
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		cells[pairs[i]] = pairs[i+1]
	}

	columns := strings.Split(strings.TrimSuffix(csvHeader, "\n"), ",")
	record := make([]string, len(columns))
	for i, column := range columns {
		record[i] = cells[column]
	}
	return csvHeader + strings.Join(record, ",") + "\n"
}

// rowCase is one import of a single row: the reason it is rejected with, or "" when the
// row must be applied.
type rowCase struct {
	name   string
	body   string
	reason string
}

// checkOneRow imports tc.body and checks that its row is rejected on line 2 with a reason
// containing tc.reason, or applied when tc.reason is "".
func checkOneRow(t *testing.T, format Format, tc rowCase) {
	t.Helper()
	c := mustOpen(t)
	res := mustImport(t, c, format, tc.body)
	if tc.reason == "" {
		if res.Applied != 1 || len(res.Rejected) != 0 {
			t.Fatalf("result = %+v, want the row applied", res)
		}
		return
	}
	mustRejectLine(t, res, 2, tc.reason)
	if res.Applied != 0 {
		t.Errorf("applied = %d, want 0", res.Applied)
	}
}

func TestImport_JSONRowReasons(t *testing.T) {
	tests := []rowCase{
		{"valid", jsonOneRow(), ""},
		{"price with cents", jsonOneRow("price", "4200.50"), ""},
		{"price with a trailing zero", jsonOneRow("price", "12.340"), ""},
		{"JPY without decimals", jsonOneRow("price", "1800", "currency", `"JPY"`), ""},
		{"BHD with three decimals", jsonOneRow("price", "12.345", "currency", `"BHD"`), ""},

		{"name with a newline", jsonOneRow("name", `"Evening\nbag"`),
			"name contains the control character U+000A"},
		{"name with BEL", jsonOneRow("name", `"Evening\u0007bag"`),
			"name contains the control character U+0007"},
		{"name with NUL", jsonOneRow("name", `"Evening\u0000bag"`),
			"name contains the control character U+0000"},
		{"name with a right-to-left override", jsonOneRow("name", `"Evening\u202ebag"`),
			"name contains the invisible formatting character U+202E"},
		{"name with a left-to-right embedding", jsonOneRow("name", `"\u202aEvening bag"`),
			"name contains the invisible formatting character U+202A"},
		{"category with an isolate", jsonOneRow("category", `"bags\u2066"`),
			"category contains the invisible formatting character U+2066"},
		{"collection with a pop isolate", jsonOneRow("collection", `"Riviera\u2069"`),
			"collection contains the invisible formatting character U+2069"},
		{"collection with a tab", jsonOneRow("collection", `"Riv\tiera"`),
			"collection contains the control character U+0009"},
		{"material with DEL", jsonOneRow("materials", `["silk", "pe\u007farl"]`),
			"materials[1] contains the control character U+007F"},
		{"colour with a C1 control", jsonOneRow("colors", `["\u0085ivory"]`),
			"colors[0] contains the control character U+0085"},
		{"size with a carriage return", jsonOneRow("sizes", `["mini\r"]`, "stock", "1"),
			"sizes[0] contains the control character U+000D"},
		{"sku with a newline", jsonOneRow("sku", `"BAG\n001"`), "sku \"BAG\\n001\""},

		{"price a string", jsonOneRow("price", `"cheap"`), "price: want a number, got string"},
		{"price an object", jsonOneRow("price", `{}`), "price: want a number, got object"},
		{"price null", jsonOneRow("price", "null"), "price is missing"},
		{"price with an exponent", jsonOneRow("price", "1e300"),
			"price 1e300 is not a plain decimal number"},
		{"price with a small exponent", jsonOneRow("price", "42E2"),
			"price 42E2 is not a plain decimal number"},
		{"EUR with three decimals", jsonOneRow("price", "12.345"),
			"price 12.345 has more decimals than EUR allows, which is 2"},
		{"JPY with a decimal", jsonOneRow("price", "1.5", "currency", `"JPY"`),
			"price 1.5 has more decimals than JPY allows, which is 0"},
		{"KRW with a decimal", jsonOneRow("price", "1000.5", "currency", `"KRW"`),
			"than KRW allows, which is 0"},
		{"KWD with four decimals", jsonOneRow("price", "1.2345", "currency", `"KWD"`),
			"than KWD allows, which is 3"},
		{"price over the maximum", jsonOneRow("price", "1000000000001"),
			"price 1000000000001 is more than the maximum 1000000000000"},
		{"negative price", jsonOneRow("price", "-5"), "price -5 is not a finite number"},

		{"name a number", jsonOneRow("name", "7"), "name: want a string, got number"},
		{"sku true", jsonOneRow("sku", "true"), "sku: want a string, got boolean"},
		{"materials a string", jsonOneRow("materials", `"silk"`),
			"materials: want an array of strings, got string"},
		{"materials with a number", jsonOneRow("materials", `["silk", 3]`),
			"materials[1]: want a string, got number"},
		{"sku given twice", strings.Replace(jsonOneRow(), `"sku": "BAG-001"`,
			`"sku": "BAG-001", "sku": "BAG-002"`, 1), "field sku is given twice"},
		{"sku given twice, once in capitals", jsonOneRow("SKU", `"BAG-002"`),
			"field sku is given twice"},
		{"sku given twice, apart", strings.Replace(jsonOneRow(), `"stock": 2`,
			`"stock": 2, "sku": "BAG-009"`, 1), "field sku is given twice"},
		{"unknown field", jsonOneRow("colour", `"red"`), `unknown field "colour"`},
		{"null row", "[\n  null\n]", "row is null, want an object"},
		{"number row", "[\n  3\n]", "row is a number, want an object"},
		{"array row", "[\n  [\"BAG-001\"]\n]", "row is an array, want an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkOneRow(t, JSON, tt)
		})
	}
}

func TestImport_CSVRowReasons(t *testing.T) {
	tests := []rowCase{
		{"valid", csvOneRow(), ""},
		{"spaces around numbers", csvOneRow("price", " 890.50 ", "stock", " 3 "), ""},
		{"JPY", csvOneRow("price", "98000", "currency", "JPY"), ""},

		{"price with an underscore", csvOneRow("price", "1_000"),
			`price "1_000" is not a plain decimal number`},
		{"price with a plus", csvOneRow("price", "+890"),
			`price "+890" is not a plain decimal number`},
		{"price with an exponent", csvOneRow("price", "1e3"),
			`price "1e3" is not a plain decimal number`},
		{"price in hexadecimal", csvOneRow("price", "0x10"),
			`price "0x10" is not a plain decimal number`},
		{"price infinite", csvOneRow("price", "Inf"), `price "Inf" is not a plain decimal`},
		{"price not a number", csvOneRow("price", "NaN"), `price "NaN" is not a plain decimal`},
		{"price with a thousands comma", csvOneRow("price", `"1,000"`),
			`price "1,000" is not a plain decimal number`},
		{"price ending in a point", csvOneRow("price", "890."),
			`price "890." is not a plain decimal number`},
		{"price starting with a point", csvOneRow("price", ".5"),
			`price ".5" is not a plain decimal number`},
		{"price with two points", csvOneRow("price", "1.2.3"),
			`price "1.2.3" is not a plain decimal number`},
		{"price with a space inside", csvOneRow("price", "1 000"),
			`price "1 000" is not a plain decimal number`},
		{"EUR with three decimals", csvOneRow("price", "12.345"),
			"price 12.345 has more decimals than EUR allows, which is 2"},
		{"price 1e300", csvOneRow("price", "1e300"),
			`price "1e300" is not a plain decimal number`},
		{"price over the maximum", csvOneRow("price", "1000000000000.01"),
			"price 1000000000000.01 is more than the maximum 1000000000000"},

		{"stock with a plus", csvOneRow("stock", "+3"), `stock "+3" is not a whole number`},
		{"stock with an underscore", csvOneRow("stock", "1_0"),
			`stock "1_0" is not a whole number`},
		{"stock with a space inside", csvOneRow("stock", "3 1"),
			`stock "3 1" is not a whole number`},
		{"stock in Arabic-Indic digits", csvOneRow("stock", "٣"),
			`stock "٣" is not a whole number`},
		{"count with a plus", csvOneRow("stock", "36:+1|37:2"),
			`stock "36:+1|37:2": count "+1" is not a whole number`},
		{"count with an underscore", csvOneRow("stock", "36:1_0|37:2"),
			`count "1_0" is not a whole number`},

		{"name with BEL", csvOneRow("name", "Nude\asatin slippers"),
			"name contains the control character U+0007"},
		{"name with a newline", csvOneRow("name", "\"Nude\nsatin slippers\""),
			"name contains the control character U+000A"},
		{"name with a right-to-left override", csvOneRow("name", "Nude\u202esatin"),
			"name contains the invisible formatting character U+202E"},
		{"material with NUL", csvOneRow("materials", "satin|sil\x00k"),
			"materials[1] contains the control character U+0000"},
		{"size with a first strong isolate", csvOneRow("sizes", "36|\u206837"),
			"sizes[1] contains the invisible formatting character U+2068"},
		{"name not UTF-8", csvOneRow("name", "Ballerines en cuir verni \xe9"),
			"name is not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkOneRow(t, CSV, tt)
		})
	}
}

func TestImport_WholeFileReasons(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		body   string
		reason string
	}{
		{"JSON word after the array", JSON, jsonOneRow() + " trailing",
			"data after the JSON array"},
		{"JSON object after the array", JSON, jsonOneRow() + `{"sku": "BAG-002"}`,
			"data after the JSON array"},
		{"JSON second array", JSON, jsonOneRow() + "\n[]", "data after the JSON array"},
		{"JSON empty file", JSON, " \n", "the file is empty: want a JSON array of items"},
		{"CSV empty file", CSV, "", "the file is empty: want a header row"},
		{"CSV blank lines only", CSV, "\n\n", "the file is empty: want a header row"},
		{"CSV binary file", CSV, "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
			`unknown CSV column "\x89PNG"`},
		{"CSV long column name", CSV, "sku," + strings.Repeat("é", 30) + "\n",
			`unknown CSV column "` + strings.Repeat("é", 20) + `"…`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustOpen(t)
			_, err := c.Import(strings.NewReader(tt.body), tt.format)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error = %v, want %v", err, ErrInvalid)
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("error = %q, want it to contain %q", err, tt.reason)
			}
			all, err := c.All()
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != 0 {
				t.Errorf("catalogue holds %d items after a failed import, want 0", len(all))
			}
		})
	}
}

func TestImport_UnknownColumnCut(t *testing.T) {
	c := mustOpen(t)
	_, err := c.Import(strings.NewReader(strings.Repeat("\xff", 100)+",sku\n"), CSV)
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("error = %v, want %v", err, ErrInvalid)
	}
	if got := strings.Count(err.Error(), `\xff`); got != maxQuotedBytes {
		t.Errorf("error quotes %d bytes of the column, want %d: %q", got, maxQuotedBytes, err)
	}
	if strings.Contains(err.Error(), "\xff") {
		t.Errorf("error contains the column's raw bytes: %q", err)
	}
}
