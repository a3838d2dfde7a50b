package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// parseStockCell parses the stock cell of a CSV row: a whole number, which is the total
// without sizes, or size:count pairs separated by '|', such as 36:0|37:2|38:1, whose sum
// is the total. A size may contain ':' because the count follows the last one.
func parseStockCell(cell string) (total int, sizes map[string]int, err error) {
	if !strings.Contains(cell, sizeCountSeparator) && !strings.Contains(cell, listSeparator) {
		total, ok := parseCount(cell)
		if !ok {
			return 0, nil, fmt.Errorf("stock %q is not a whole number from 0 to %d", cell,
				MaxStock)
		}
		return total, nil, nil
	}

	sizes = map[string]int{}
	for _, pair := range strings.Split(cell, listSeparator) {
		i := strings.LastIndex(pair, sizeCountSeparator)
		if i < 0 {
			return 0, nil, fmt.Errorf("stock %q: %q is not a size:count pair such as 37:2",
				cell, strings.TrimSpace(pair))
		}
		size := strings.TrimSpace(pair[:i])
		count := strings.TrimSpace(pair[i+1:])
		if size == "" {
			return 0, nil, fmt.Errorf("stock %q: the size is missing before %q", cell,
				sizeCountSeparator+count)
		}
		n, ok := parseCount(count)
		if !ok {
			return 0, nil, fmt.Errorf("stock %q: count %q is not a whole number from 0 to %d",
				cell, count, MaxStock)
		}
		if err := addSizeCount(sizes, size, n); err != nil {
			return 0, nil, fmt.Errorf("stock %q: %w", cell, err)
		}
	}
	return sumCounts(sizes), sizes, nil
}

// parseStockJSON parses the stock field of a JSON row: a whole number, which is the total
// without sizes, or an object of counts per size, such as {"37": 2, "38": 1}, whose sum is
// the total. It reads the object token by token, so that a size given twice is rejected
// instead of the last count silently winning.
func parseStockJSON(raw json.RawMessage) (total int, sizes map[string]int, err error) {
	raw = bytes.TrimSpace(raw)
	if !bytes.HasPrefix(raw, []byte("{")) {
		total, ok := parseCount(string(raw))
		if !ok {
			return 0, nil, fmt.Errorf("stock %s is not a whole number or an object of "+
				"counts per size such as {\"37\": 2}", raw)
		}
		return total, nil, nil
	}

	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return 0, nil, fmt.Errorf("stock: malformed JSON object: %v", err)
	}
	sizes = map[string]int{}
	for dec.More() {
		size, count, err := nextSizeCount(dec)
		if err != nil {
			return 0, nil, err
		}
		n, ok := parseCount(string(count))
		if !ok {
			return 0, nil, fmt.Errorf("stock of size %q: count %s is not a whole number "+
				"from 0 to %d", size, count, MaxStock)
		}
		if err := addSizeCount(sizes, size, n); err != nil {
			return 0, nil, fmt.Errorf("stock: %w", err)
		}
	}
	return sumCounts(sizes), sizes, nil
}

// nextSizeCount reads one member of a JSON object: the size and its raw count.
func nextSizeCount(dec *json.Decoder) (string, json.RawMessage, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", nil, fmt.Errorf("stock: malformed JSON object: %v", err)
	}
	size, _ := tok.(string) // object keys are always strings
	var count json.RawMessage
	if err := dec.Decode(&count); err != nil {
		return "", nil, fmt.Errorf("stock of size %q: malformed JSON: %v", size, err)
	}
	return size, count, nil
}

// addSizeCount adds the count of one size to sizes, rejecting a size already there,
// compared case-insensitively.
func addSizeCount(sizes map[string]int, size string, n int) error {
	for existing := range sizes {
		if strings.EqualFold(existing, size) {
			return fmt.Errorf("size %q is given twice", size)
		}
	}
	sizes[size] = n
	return nil
}

// rowStock returns the Stock and SizeStock of an imported row for boutique: sizes is nil
// when the row gives a total only.
func rowStock(boutique string, total int, sizes map[string]int) (map[string]int,
	map[string]map[string]int) {

	stock := map[string]int{boutique: total}
	if sizes == nil {
		return stock, nil
	}
	return stock, map[string]map[string]int{boutique: sizes}
}
