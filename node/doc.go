// Package node is one boutique: it wires a camera, the recognizer and the gallery to the
// profile store, decides who walked in, alerts the staff and serves the HTTP API, the staff
// page, server-sent events and Prometheus metrics.
package node
