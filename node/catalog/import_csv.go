package catalog

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// requiredColumns are the columns every CSV import must have; sizes is optional.
var requiredColumns = []string{
	"sku", "name", "category", "materials", "colors", "collection", "price", "currency",
	"stock",
}

// listSeparator separates the entries of a list inside one CSV cell.
const listSeparator = "|"

// parseCSV reads a CSV file with a header row. A row with the wrong number of cells or a
// malformed cell becomes a row with a reason. A missing or unknown column is an error.
func parseCSV(data []byte, boutique string) ([]row, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true

	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: the file is empty: want a header row", ErrInvalid)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: read CSV header: %v", ErrInvalid, err)
	}
	columns, err := columnIndex(header)
	if err != nil {
		return nil, err
	}

	var rows []row
	for {
		record, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if len(rows) >= MaxImportRows {
			return nil, fmt.Errorf("%w: more than %d rows", ErrTooLarge, MaxImportRows)
		}
		rows = append(rows, csvRow(cr, record, err, columns, len(header), boutique))
	}
}

// csvRow turns one record, or the error that reading it returned, into a row.
func csvRow(cr *csv.Reader, record []string, readErr error, columns map[string]int,
	width int, boutique string) row {

	var parseErr *csv.ParseError
	if errors.As(readErr, &parseErr) {
		return row{line: parseErr.StartLine, reason: "malformed CSV: " + parseErr.Err.Error()}
	}
	line, _ := cr.FieldPos(0)
	if readErr != nil {
		return row{line: line, reason: "malformed CSV: " + readErr.Error()}
	}
	if len(record) != width {
		return row{line: line, reason: fmt.Sprintf("has %d cells, the header has %d",
			len(record), width)}
	}

	it, err := itemFromCells(record, columns, boutique)
	if err != nil {
		return row{line: line, reason: err.Error()}
	}
	return row{line: line, item: it}
}

// columnIndex maps each column name of header to its position, checking that every
// required column is present once and that no column is unknown.
func columnIndex(header []string) (map[string]int, error) {
	known := append(slices.Clone(requiredColumns), "sizes")
	columns := map[string]int{}
	for i, cell := range header {
		cell = strings.TrimSpace(cell)
		if i == 0 {
			cell = strings.TrimPrefix(cell, "\ufeff") // a byte order mark from a spreadsheet
		}
		name := strings.ToLower(cell)
		if !slices.Contains(known, name) {
			return nil, fmt.Errorf("%w: unknown CSV column %s (the columns are %s)",
				ErrInvalid, quoteShort(cell), strings.Join(known, ","))
		}
		if _, dup := columns[name]; dup {
			return nil, fmt.Errorf("%w: CSV column %q appears twice", ErrInvalid, name)
		}
		columns[name] = i
	}

	for _, name := range requiredColumns {
		if _, ok := columns[name]; !ok {
			return nil, fmt.Errorf("%w: CSV header has no %q column; required: %s",
				ErrInvalid, name, strings.Join(requiredColumns, ","))
		}
	}
	return columns, nil
}

// itemFromCells builds an item from one CSV record. It parses numbers but leaves the rest
// of validation to Validate.
func itemFromCells(record []string, columns map[string]int, boutique string) (Item, error) {
	cell := func(name string) string {
		i, ok := columns[name]
		if !ok {
			return ""
		}
		return strings.TrimSpace(record[i])
	}

	price, ok := parsePrice(cell("price"))
	if !ok {
		return Item{}, fmt.Errorf("price %q is not a plain decimal number such as 4200 or "+
			"890.50", cell("price"))
	}
	total, sizes, err := parseStockCell(cell("stock"))
	if err != nil {
		return Item{}, err
	}
	stock, sizeStock := rowStock(boutique, total, sizes)

	return Item{
		SKU:        cell("sku"),
		Name:       cell("name"),
		Category:   cell("category"),
		Materials:  splitList(cell("materials")),
		Colors:     splitList(cell("colors")),
		Collection: cell("collection"),
		Sizes:      splitList(cell("sizes")),
		Price:      price,
		Currency:   cell("currency"),
		Stock:      stock,
		SizeStock:  sizeStock,
	}, nil
}

// splitList splits a cell on '|' and trims each entry; an empty cell is an empty list.
// An empty entry between two separators is kept, so that Validate rejects it.
func splitList(cell string) []string {
	if cell == "" {
		return nil
	}
	parts := strings.Split(cell, listSeparator)
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}
