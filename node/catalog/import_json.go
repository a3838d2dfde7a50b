package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// jsonRow is one element of a JSON import. Price is a pointer so that a missing value
// differs from zero. Stock is raw because it is either a number or an object of counts
// per size.
type jsonRow struct {
	SKU        string          `json:"sku"`
	Name       string          `json:"name"`
	Category   string          `json:"category"`
	Materials  []string        `json:"materials"`
	Colors     []string        `json:"colors"`
	Collection string          `json:"collection"`
	Sizes      []string        `json:"sizes"`
	Price      *float64        `json:"price"`
	Currency   string          `json:"currency"`
	Stock      json.RawMessage `json:"stock"`
}

// parseJSON reads a JSON array of rows. An element that does not decode as a row, such as
// one with a wrong type or an unknown field, becomes a row with a reason. Malformed JSON is
// an error. Each row's line is the line where its element starts.
func parseJSON(data []byte, boutique string) ([]row, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, fmt.Errorf("%w: a JSON import must be an array of items", ErrInvalid)
	}

	var rows []row
	for dec.More() {
		if len(rows) >= MaxImportRows {
			return nil, fmt.Errorf("%w: more than %d rows", ErrTooLarge, MaxImportRows)
		}
		line := lineAt(data, dec.InputOffset())
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("%w: malformed JSON near line %d: %v", ErrInvalid, line, err)
		}
		rows = append(rows, jsonItem(raw, line, boutique))
	}

	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("%w: malformed JSON at the end of the array: %v", ErrInvalid, err)
	}
	if _, err := dec.Token(); err == nil {
		return nil, fmt.Errorf("%w: data after the JSON array", ErrInvalid)
	}
	return rows, nil
}

// jsonItem decodes one element into a row, rejecting unknown fields and a missing price
// or stock.
func jsonItem(raw json.RawMessage, line int, boutique string) row {
	var jr jsonRow
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&jr); err != nil {
		return row{line: line, reason: "invalid item: " + err.Error()}
	}
	if jr.Price == nil {
		return row{line: line, reason: "price is missing"}
	}
	if len(jr.Stock) == 0 || string(jr.Stock) == "null" {
		return row{line: line, reason: "stock is missing"}
	}
	total, sizes, err := parseStockJSON(jr.Stock)
	if err != nil {
		return row{line: line, reason: err.Error()}
	}
	stock, sizeStock := rowStock(boutique, total, sizes)

	return row{line: line, item: Item{
		SKU: jr.SKU, Name: jr.Name, Category: jr.Category, Materials: jr.Materials,
		Colors: jr.Colors, Collection: jr.Collection, Sizes: jr.Sizes, Price: *jr.Price,
		Currency: jr.Currency, Stock: stock, SizeStock: sizeStock,
	}}
}

// lineAt returns the 1-based line of the first non-space byte at or after offset, skipping
// the comma between two array elements.
func lineAt(data []byte, offset int64) int {
	i := int(offset)
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' ||
		data[i] == '\r' || data[i] == ',') {
		i++
	}
	return 1 + bytes.Count(data[:i], []byte("\n"))
}
