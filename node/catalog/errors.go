package catalog

import "errors"

// Errors that callers branch on. Each is wrapped with the SKU or the invalid value.
var (
	// ErrNotFound means that the catalogue has no item with the SKU.
	ErrNotFound = errors.New("catalogue item not found")
	// ErrInvalid means that an item, a stock count or an import file failed validation.
	ErrInvalid = errors.New("invalid catalogue data")
	// ErrTooLarge means that an import has more rows than MaxImportRows.
	ErrTooLarge = errors.New("catalogue import too large")
)
