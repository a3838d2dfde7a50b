package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/omotenashi/omotenashi/mesh"
	"github.com/omotenashi/omotenashi/node"
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
		var st node.MeshStatus
		if err := c.do("GET", "/v1/mesh", "", nil, &st); err != nil {
			return err
		}
		return writeMeshStatus(stdout, st)
	}
	return fmt.Errorf("unknown mesh command %q: want keygen or status", args[0])
}

// writeMeshStatus prints the members and each group's leader, members, roles and lag.
func writeMeshStatus(w io.Writer, st node.MeshStatus) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "node %s, %d writes pending\n\nMEMBER\tREGION\tBRAND\tGROUP\tHEALTH\n",
		st.Name, st.Pending)
	for _, m := range st.Members {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", m.Name, m.Region, m.Brand, m.Group, m.Health)
	}
	for _, g := range st.Groups {
		fmt.Fprintf(tw, "\n%s\tleader %s\tterm %d\tapplied %d of %d\tthis node %s\n",
			g.Group, g.Leader, g.Term, g.AppliedIndex, g.LastIndex, g.State)
		fmt.Fprintln(tw, "  MEMBER\tROLE\tMATCH\tLAG")
		for _, m := range g.Members {
			fmt.Fprintf(tw, "  %s\t%s\t%d\t%d\n", m.Name, m.Role, m.MatchIndex, m.Lag)
		}
	}
	if len(st.Sisters) > 0 {
		fmt.Fprintln(tw, "\nSISTER BOUTIQUE NEARBY\tBRAND\tKM\tITEMS HELD\tIN STOCK THERE\t"+
			"FETCHED\tLAST ERROR")
		for _, s := range st.Sisters {
			fetched := "never"
			if !s.FetchedAt.IsZero() {
				fetched = s.FetchedAt.Local().Format(time.TimeOnly)
			}
			fmt.Fprintf(tw, "%s\t%s\t%.1f\t%d\t%d\t%s\t%s\n", s.Boutique, s.Brand, s.Km,
				s.Items, s.InStock, fetched, s.Error)
		}
	}
	return tw.Flush()
}
