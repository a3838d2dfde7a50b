package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// parseJSON reads a JSON array of rows. An element that does not decode as a row, such as
// one with a wrong type or an unknown field, becomes a row with a reason. Malformed JSON,
// including data after the array, is an error. Each row's line is the line where its
// element starts.
func parseJSON(data []byte, boutique string) ([]row, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%w: the file is empty: want a JSON array of items", ErrInvalid)
	}
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
	// Anything after the closing bracket, even text that is not JSON, rejects the file.
	end := lineAt(data, dec.InputOffset())
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: data after the JSON array on line %d, but the file must "+
			"contain the array alone", ErrInvalid, end)
	}
	return rows, nil
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
