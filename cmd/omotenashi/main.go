// Command omotenashi runs a boutique node (`omotenashi node`), a demo boutique
// (`omotenashi demo`), calibration on labelled photos (`omotenashi calibrate`), and talks to
// a running node for everything else.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// command is one verb of the CLI.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout io.Writer) error
}

func commands() []command {
	return []command{
		{"node", "run a boutique node", runNode},
		{"demo", "run a demo boutique with a client and a camera playing sample photos", runDemo},
		{"calibrate", "measure distances on a labelled photo folder and recommend thresholds",
			runCalibrate},
		{"enroll", "enroll a client with consent from photos", runEnroll},
		{"identify", "identify the faces of a photo", runIdentify},
		{"customers", "search clients by name", runCustomers},
		{"customer", "show, export or forget one client: customer get|export|forget ID",
			runCustomer},
		{"token", "staff tokens: token create NAME assistant|manager | list | revoke ID",
			runToken},
		{"status", "show a node's status", runStatus},
		{"catalog", "import a catalogue: catalog import FILE (.csv or .json)", runCatalog},
		{"mesh", "mesh keygen FILE: write a mesh key; mesh status: members and groups", runMesh},
		{"testnet", "testnet list | run NAME|FILE: many nodes on loopback, a report", runTestnet},
	}
}

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{
		Level: slog.LevelInfo,
	})))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := dispatch(ctx, os.Args[1:], os.Stdout); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "omotenashi:", err)
		}
		os.Exit(1)
	}
}

// dispatch runs the command named by args[0] with the rest of args.
func dispatch(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(os.Stderr)
		if len(args) == 0 {
			return errors.New("no command given")
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout)
		}
	}
	usage(os.Stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: omotenashi COMMAND [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun `omotenashi COMMAND -h` for the flags of a command.")
}
