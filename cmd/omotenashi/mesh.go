package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/omotenashi/omotenashi/mesh"
)

// runMesh runs `mesh keygen FILE`, which writes a new mesh key, and `mesh status`, which
// shows a running node's view of the mesh.
func runMesh(_ context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: omotenashi mesh keygen FILE | mesh status")
	}
	switch args[0] {
	case "keygen":
		if len(args) != 2 {
			return fmt.Errorf("usage: omotenashi mesh keygen FILE")
		}
		if _, err := mesh.GenerateMeshKey(args[1]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote a new mesh key to %s; give every boutique of the group a "+
			"copy (mode 0600)\n", args[1])
		return nil
	case "status":
		fs := flag.NewFlagSet("mesh status", flag.ContinueOnError)
		connect := clientFlags(fs)
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		c, err := connect()
		if err != nil {
			return err
		}
		var out map[string]any
		if err := c.do("GET", "/v1/mesh", "", nil, &out); err != nil {
			return err
		}
		return printJSON(stdout, out)
	}
	return fmt.Errorf("unknown mesh command %q: want keygen or status", args[0])
}
