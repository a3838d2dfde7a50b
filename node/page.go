package node

import (
	_ "embed"
	"net/http"
)

// staffPage is the staff page: one self-contained HTML file with its script and styles, so
// it works in a boutique whose tablets reach nothing but the node.
//
//go:embed page/index.html
var staffPage []byte

// handlePage serves the staff page. The page holds no data: it reads the API with the
// token the user gives it.
func (n *Node) handlePage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy",
		"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "+
			"script-src 'self' 'unsafe-inline'; connect-src 'self'")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Write(staffPage)
}
