// Package profile stores client profiles in a Pebble database: identity and how staff
// address her, consent, face descriptors, visits, purchases, inquiries, preferences and
// notes. It enforces the consent rule (no descriptor without recorded consent) and the
// right to be forgotten (a synced delete, a tombstone and a compaction of her key range).
//
// Keys: cust/<id> holds a customer record as JSON and tomb/<id> holds a tombstone. Other
// packages may share the database through DB as long as they keep to their own key
// prefixes, such as auth/ and audit/.
package profile
