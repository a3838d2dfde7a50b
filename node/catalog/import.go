package catalog

import (
	"fmt"
	"io"
)

// Limits on one import.
const (
	// MaxImportBytes is the maximum size of an import file.
	MaxImportBytes = 8 << 20
	// MaxImportRows is the maximum number of rows of an import file, header excluded.
	MaxImportRows = 20_000
)

// Rejection is one row of an import that was skipped, with its line in the file (1 is the
// first line, the CSV header) and the reason.
type Rejection struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// Result is the outcome of an import: how many items were stored and which rows were
// skipped.
type Result struct {
	Applied  int         `json:"applied"`
	Rejected []Rejection `json:"rejected"`
}

// Format is the encoding of an import file.
type Format int

// Import formats.
const (
	// CSV is comma-separated values with a header row; lists inside a cell are separated
	// by '|'.
	CSV Format = iota
	// JSON is an array of objects with the fields of a CSV row.
	JSON
)

// row is one parsed row of an import, ready to validate: its line in the file, the item,
// or the reason it could not be parsed.
type row struct {
	line   int
	item   Item
	reason string
}

// Import reads a catalogue file of at most MaxImportBytes and MaxImportRows and upserts
// its items by SKU, setting this boutique's stock from each row. Each row is validated on
// its own: a bad row is reported in Result.Rejected and skipped, and the good rows are
// committed in one synced batch. An error means the file as a whole is unreadable (a
// missing column, malformed JSON, over a limit), and then nothing is written.
func (c *Catalog) Import(r io.Reader, format Format) (Result, error) {
	return c.importWith(r, format, c.Put)
}

// importWith is Import storing the rows that pass with store.
func (c *Catalog) importWith(r io.Reader, format Format,
	store func([]Item) error) (Result, error) {

	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return Result{}, fmt.Errorf("read catalogue import: %w", err)
	}
	if len(data) > MaxImportBytes {
		return Result{}, fmt.Errorf("%w: import is larger than %d bytes", ErrTooLarge,
			MaxImportBytes)
	}

	var rows []row
	if format == JSON {
		rows, err = parseJSON(data, c.boutique)
	} else {
		rows, err = parseCSV(data, c.boutique)
	}
	if err != nil {
		return Result{}, err
	}
	return apply(rows, store)
}

// apply validates rows, rejects invalid ones and duplicates of an earlier row's SKU, and
// stores the rest with store.
func apply(rows []row, store func([]Item) error) (Result, error) {
	res := Result{Rejected: []Rejection{}}
	firstLine := map[string]int{}
	good := make([]Item, 0, len(rows))

	for _, r := range rows {
		reason := r.reason
		if reason == "" {
			reason = rowProblem(r, firstLine)
		}
		if reason != "" {
			res.Rejected = append(res.Rejected, Rejection{Line: r.line, Reason: reason})
			continue
		}
		firstLine[r.item.SKU] = r.line
		good = append(good, r.item)
	}

	if len(good) > 0 {
		if err := store(good); err != nil {
			return Result{}, err
		}
	}
	res.Applied = len(good)
	return res, nil
}

// rowProblem returns why a parsed row cannot be stored, or "" when it can.
func rowProblem(r row, firstLine map[string]int) string {
	if err := Validate(r.item); err != nil {
		return err.Error()
	}
	if line, dup := firstLine[r.item.SKU]; dup {
		return fmt.Sprintf("sku %s is already on line %d of this file", r.item.SKU, line)
	}
	return ""
}
