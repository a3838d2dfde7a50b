package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/omotenashi/omotenashi/node/catalog"
)

// mainProcessEnv is set in the environment of a child process that runs main, so that a
// test can check the exit status of the real command.
const mainProcessEnv = "OMOTENASHI_TEST_RUN_MAIN"

// TestMain_ChildProcess runs main with the arguments after "--" when mainProcessEnv is
// set, and is skipped otherwise. runMain starts it in a child process.
func TestMain_ChildProcess(t *testing.T) {
	if os.Getenv(mainProcessEnv) != "1" {
		t.Skip("runs only in a child process started by runMain")
	}
	args := os.Args[slices.Index(os.Args, "--")+1:]
	os.Args = append([]string{"omotenashi"}, args...)
	main()
	os.Exit(0) // main returns only on success; stop before the test framework prints
}

// runMain runs the omotenashi command with args in a child process, with the node's URL
// and manager token in its environment, and returns its exit status and output.
func runMain(t *testing.T, tn testNode, args ...string) (int, string, string) {
	t.Helper()
	testArgs := []string{"-test.run=^TestMain_ChildProcess$", "--"}
	cmd := exec.Command(os.Args[0], append(testArgs, args...)...)
	cmd.Env = append(os.Environ(), mainProcessEnv+"=1", "OMOTENASHI_NODE="+tn.url,
		"OMOTENASHI_TOKEN="+tn.token)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr

	err := cmd.Run()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return exitErr.ExitCode(), stdout.String(), stderr.String()
	}
	if err != nil {
		t.Fatalf("run %s: %v", strings.Join(args, " "), err)
	}
	return 0, stdout.String(), stderr.String()
}

const catalogCSVHeader = "sku,name,category,materials,colors,collection,sizes,price,currency," +
	"stock\n"

func TestCatalogImport_ExitStatus(t *testing.T) {
	tn := mustStartNode(t)
	tests := []struct {
		name          string
		file          string
		body          string
		status        int
		printed       bool // whether the node returned a result to print
		applied       int
		rejectedLines []int
		stderr        string
	}{
		{
			name: "every row applied", file: "good.csv",
			body: catalogCSVHeader +
				"BAG-001,Evening bag,bags,silk|pearl,ivory,Riviera,,4200,EUR,2\n" +
				"SHO-010,Nude satin slippers,shoes,satin,nude,Atelier,36|37,890.50,EUR,1\n",
			status: 0, printed: true, applied: 2,
		},
		{
			name: "one CSV row rejected", file: "mixed.csv",
			body: catalogCSVHeader +
				"BAG-002,Tote,bags,leather,black,Riviera,,2100,EUR,5\n" +
				"BAG-003,Clutch,bags,leather,red,Atelier,,1200,EUX,1\n" +
				"BAG-004,Mini bag,bags,leather,red,Atelier,,1_000,EUR,1\n",
			status: 1, printed: true, applied: 1, rejectedLines: []int{3, 4},
			stderr: "2 rows rejected and 1 row applied",
		},
		{
			name: "every JSON row rejected", file: "bad.json",
			body: `[
  {"sku": "BAG-005", "sku": "BAG-006", "name": "Tote", "category": "bags",
   "price": 10, "currency": "EUR", "stock": 1}
]`,
			status: 1, printed: true, applied: 0, rejectedLines: []int{2},
			stderr: "1 row rejected and 0 rows applied",
		},
		{
			name: "whole file rejected", file: "junk.json",
			body: `[{"sku": "BAG-007", "name": "Tote", "category": "bags", "price": 10,
  "currency": "EUR", "stock": 1}] trailing`,
			status: 1, stderr: "data after the JSON array",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tt.file)
			if err := os.WriteFile(path, []byte(tt.body), 0o600); err != nil {
				t.Fatal(err)
			}
			status, stdout, stderr := runMain(t, tn, "catalog", "import", path)

			if status != tt.status {
				t.Errorf("exit status %d, want %d\nstdout: %s\nstderr: %s", status,
					tt.status, stdout, stderr)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q, want it to contain %q", stderr, tt.stderr)
			}
			if !tt.printed {
				if stdout != "" {
					t.Errorf("stdout %q, want nothing after a rejected request", stdout)
				}
				return
			}
			checkImportOutput(t, stdout, tt.applied, tt.rejectedLines)
		})
	}
}

// checkImportOutput checks the JSON result that catalog import printed.
func checkImportOutput(t *testing.T, stdout string, applied int, rejectedLines []int) {
	t.Helper()
	var res catalog.Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("output is not a JSON result: %v\n%s", err, stdout)
	}
	if res.Applied != applied {
		t.Errorf("applied %d, want %d", res.Applied, applied)
	}
	var lines []int
	for _, rej := range res.Rejected {
		lines = append(lines, rej.Line)
		if rej.Reason == "" {
			t.Errorf("rejected line %d has no reason", rej.Line)
		}
	}
	if !slices.Equal(lines, rejectedLines) {
		t.Errorf("rejected lines %v, want %v", lines, rejectedLines)
	}
}

func TestCatalogImport_UsageNamesExitStatus(t *testing.T) {
	err := dispatch(context.Background(), []string{"catalog"}, &bytes.Buffer{})
	if err == nil {
		t.Fatal("catalog without an action returned no error, want the usage")
	}
	const want = "Exits with status 1 when any row is rejected"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("usage %q, want it to contain %q", err, want)
	}
}
