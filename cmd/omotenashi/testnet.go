package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/omotenashi/omotenashi/testnet"
)

// errExpectations is returned when a scenario ran but an expectation failed, so that the
// command exits non-zero.
var errExpectations = errors.New("expectations failed")

// runTestnet runs `testnet list` and `testnet run NAME|FILE [--out DIR]`.
func runTestnet(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("testnet: want `testnet list` or `testnet run NAME|FILE [--out DIR]`")
	}
	switch args[0] {
	case "list":
		for _, name := range testnet.List() {
			fmt.Fprintln(stdout, name)
		}
		return nil
	case "run":
		return runScenario(ctx, args[1:], stdout)
	}
	return fmt.Errorf("testnet: unknown subcommand %q: want list or run", args[0])
}

func runScenario(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("testnet run", flag.ContinueOnError)
	out := fs.String("out", "", "folder of the nodes' data, logs, report.json and lag.svg "+
		"(default: a new folder testnet-NAME-TIME under the current one)")
	bin := fs.String("bin", "", "omotenashi binary the nodes run (default: this executable)")
	root := fs.String("root", ".", "repository folder whose assets/ holds models and samples")
	faces := fs.String("faces", "", "folder of the labelled face photos (default "+
		"$OMOTENASHI_FACES, else ROOT/../shared/faces)")
	name, rest := "", args
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		name, rest = args[0], args[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if name == "" && fs.NArg() == 1 {
		name = fs.Arg(0)
	}
	if name == "" {
		return errors.New("testnet run: scenario name or file missing (see `testnet list`)")
	}

	sc, err := testnet.Load(name)
	if err != nil {
		return err
	}
	opts, err := testnetOptions(sc.Name, *out, *bin, *root, *faces)
	if err != nil {
		return err
	}
	opts.Progress = stdout
	rep, runErr := testnet.Run(ctx, sc, opts)
	if rep != nil {
		rep.Summarize(stdout)
		if err := rep.Write(opts.Out); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\nReport: %s\n", filepath.Join(opts.Out, "report.json"))
	}
	if runErr != nil {
		return fmt.Errorf("testnet %s: %w", sc.Name, runErr)
	}
	if len(rep.Failures) > 0 {
		return fmt.Errorf("testnet %s: %d %w", sc.Name, len(rep.Failures), errExpectations)
	}
	return nil
}

// testnetOptions fills the defaults of a run's paths.
func testnetOptions(name, out, bin, root, faces string) (testnet.Options, error) {
	var err error
	if bin == "" {
		if bin, err = os.Executable(); err != nil {
			return testnet.Options{}, fmt.Errorf("find this executable: %w", err)
		}
	}
	if out == "" {
		out = fmt.Sprintf("testnet-%s-%s", name, time.Now().Format("20060102-150405"))
	}
	if faces == "" {
		faces = os.Getenv("OMOTENASHI_FACES")
	}
	if root, err = filepath.Abs(root); err != nil {
		return testnet.Options{}, err
	}
	if faces == "" {
		faces = filepath.Join(root, "..", "shared", "faces")
	}
	if out, err = filepath.Abs(out); err != nil {
		return testnet.Options{}, err
	}
	return testnet.Options{Bin: bin, Root: root, FacesDir: faces, Out: out}, nil
}
