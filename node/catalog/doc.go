// Package catalog stores one boutique's product catalogue and its stock in the node's
// Pebble database, and imports catalogue files in CSV or JSON.
//
// Keys: cat/item/<sku> holds an Item as JSON (without stock), and
// cat/stock/<sku>/<boutique> holds that boutique's stock count as a decimal string. Item
// and stock are separate keys so that an import and a restock of the same SKU write
// without reading first and never overwrite each other.
//
// The catalogue is per boutique and is not replicated: each node imports its own.
package catalog
