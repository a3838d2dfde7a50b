package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// jsonFields are the fields of an object in a JSON import: the CSV columns, with lists as
// arrays of strings and stock as a number or an object of counts per size.
var jsonFields = []string{
	"sku", "name", "category", "materials", "colors", "collection", "sizes", "price",
	"currency", "stock",
}

// jsonItem decodes one element of a JSON import into a row, or a row with the reason the
// element is not an item.
func jsonItem(raw json.RawMessage, line int, boutique string) row {
	fields, err := jsonObject(raw)
	if err != nil {
		return row{line: line, reason: err.Error()}
	}
	it, err := itemFromJSON(fields, boutique)
	if err != nil {
		return row{line: line, reason: err.Error()}
	}
	return row{line: line, item: it}
}

// jsonObject returns the members of the object raw by field name. It reads the object
// token by token, because encoding/json would keep the last of two values for one field.
// Names match jsonFields case-insensitively, as encoding/json matches struct fields.
func jsonObject(raw json.RawMessage) (map[string]json.RawMessage, error) {
	switch kind := jsonKind(raw); kind {
	case "object":
	case "null":
		return nil, fmt.Errorf("row is null, want an object")
	default:
		return nil, fmt.Errorf("row is %s, want an object", withArticle(kind))
	}

	// raw has already been decoded once, so the errors below only guard against a bug.
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("malformed JSON object: %v", err)
	}
	fields := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("malformed JSON object: %v", err)
		}
		key, _ := tok.(string) // object keys are always strings
		name := strings.ToLower(key)
		if !slices.Contains(jsonFields, name) {
			return nil, fmt.Errorf("unknown field %s (the fields are %s)", quoteShort(key),
				strings.Join(jsonFields, ","))
		}
		if _, dup := fields[name]; dup {
			return nil, fmt.Errorf("field %s is given twice", name)
		}

		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, fmt.Errorf("%s: malformed JSON: %v", name, err)
		}
		fields[name] = value
	}
	return fields, nil
}

// itemFromJSON builds an item from the members of one object. It checks the JSON type of
// each field and parses numbers, but leaves the rest of validation to Validate.
func itemFromJSON(fields map[string]json.RawMessage, boutique string) (Item, error) {
	var it Item
	texts := []struct {
		name string
		dst  *string
	}{
		{"sku", &it.SKU}, {"name", &it.Name}, {"category", &it.Category},
		{"collection", &it.Collection}, {"currency", &it.Currency},
	}
	for _, text := range texts {
		if err := jsonString(fields[text.name], text.name, text.dst); err != nil {
			return Item{}, err
		}
	}
	lists := []struct {
		name string
		dst  *[]string
	}{
		{"materials", &it.Materials}, {"colors", &it.Colors}, {"sizes", &it.Sizes},
	}
	for _, list := range lists {
		if err := jsonStrings(fields[list.name], list.name, list.dst); err != nil {
			return Item{}, err
		}
	}

	price, err := jsonPrice(fields["price"])
	if err != nil {
		return Item{}, err
	}
	it.Price = price

	stock := fields["stock"]
	if jsonKind(stock) == "null" {
		return Item{}, fmt.Errorf("stock is missing")
	}
	total, sizes, err := parseStockJSON(stock)
	if err != nil {
		return Item{}, err
	}
	it.Stock, it.SizeStock = rowStock(boutique, total, sizes)
	return it, nil
}

// jsonPrice parses the price of a JSON row, a plain decimal number.
func jsonPrice(raw json.RawMessage) (float64, error) {
	switch kind := jsonKind(raw); kind {
	case "number":
	case "null":
		return 0, fmt.Errorf("price is missing")
	default:
		return 0, fmt.Errorf("price: want a number, got %s", kind)
	}

	price, ok := parsePrice(string(raw))
	if !ok {
		return 0, fmt.Errorf("price %s is not a plain decimal number such as 4200 or 890.50",
			raw)
	}
	return price, nil
}

// jsonString decodes the field name into dst. A missing or null field leaves dst empty.
func jsonString(raw json.RawMessage, name string, dst *string) error {
	switch kind := jsonKind(raw); kind {
	case "string":
	case "null":
		return nil
	default:
		return fmt.Errorf("%s: want a string, got %s", name, kind)
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	return nil
}

// jsonStrings decodes the array of strings name into dst. A missing or null field leaves
// dst empty.
func jsonStrings(raw json.RawMessage, name string, dst *[]string) error {
	switch kind := jsonKind(raw); kind {
	case "array":
	case "null":
		return nil
	default:
		return fmt.Errorf("%s: want an array of strings, got %s", name, kind)
	}

	var elements []json.RawMessage
	if err := json.Unmarshal(raw, &elements); err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	out := make([]string, len(elements))
	for i, element := range elements {
		if kind := jsonKind(element); kind != "string" {
			return fmt.Errorf("%s[%d]: want a string, got %s", name, i, kind)
		}
		if err := json.Unmarshal(element, &out[i]); err != nil {
			return fmt.Errorf("%s[%d]: %v", name, i, err)
		}
	}
	*dst = out
	return nil
}

// jsonKind returns the JSON type of the valid value raw, by its first byte: "object",
// "array", "string", "number", "boolean" or "null". A missing value is "null".
func jsonKind(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "null"
	}
	switch raw[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// withArticle returns the JSON type name kind preceded by "a" or "an".
func withArticle(kind string) string {
	if kind == "array" || kind == "object" {
		return "an " + kind
	}
	return "a " + kind
}
