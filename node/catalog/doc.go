// Package catalog stores one boutique's product catalogue and its stock in the node's
// Pebble database, and imports catalogue files in CSV or JSON.
//
// Keys: cat/item/<sku> holds an Item as JSON (without stock), and
// cat/stock/<sku>/<boutique> holds that boutique's stock: a decimal string for a total
// without sizes, or a JSON object such as {"sizes":{"37":2,"38":1}} whose sum is the total.
// Item and stock are separate keys so that an import and a restock of the same SKU write
// without reading first and never overwrite each other.
//
// NOTE: a node built before per-size counts existed reads only decimal values, so it fails
// to read a catalogue that holds a JSON stock value.
//
// The catalogue is per boutique and is not replicated: each node imports its own.
package catalog
