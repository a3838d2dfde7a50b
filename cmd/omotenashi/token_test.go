package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// mustCreateToken creates a token with the CLI and returns its id and secret.
func mustCreateToken(t *testing.T, tn testNode, name, role string) (string, string) {
	t.Helper()
	out := tn.mustRun(t, "token", "create", name, role)
	var created struct {
		Token string
		Info  struct{ ID string }
	}
	if err := json.Unmarshal([]byte(out), &created); err != nil {
		t.Fatalf("token create output %q: %v", out, err)
	}
	if created.Token == "" || created.Info.ID == "" {
		t.Fatalf("token create output %q has no secret or id", out)
	}
	return created.Info.ID, created.Token
}

func TestToken_ListAndRevoke(t *testing.T) {
	tn := mustStartNode(t)
	id, secret := mustCreateToken(t, tn, "Kenji", "assistant")

	table := tn.mustRun(t, "token", "list")
	if header := strings.Fields(lineStarting(table, "ID")); strings.Join(header, " ") !=
		"ID ROLE NAME CREATED" {
		t.Errorf("header %q, want ID ROLE NAME CREATED", header)
	}
	row := tableRow(table, id)
	if len(row) != 5 || row[1] != "assistant" || row[2] != "Kenji" {
		t.Errorf("row of %s: %q, want id, assistant, Kenji, date and time", id, row)
	}
	if strings.Contains(table, secret) || strings.Contains(tn.mustRun(t, "token", "list",
		"--json"), secret) {
		t.Errorf("token list printed the secret")
	}
	managers := 0
	for line := range strings.Lines(table) {
		if fields := strings.Fields(line); len(fields) > 1 && fields[1] == "manager" {
			managers++
		}
	}
	if managers != 1 {
		t.Errorf("%d manager rows, want the first manager token alone:\n%s", managers, table)
	}

	// Flags may also come before the action.
	var flagsFirst bytes.Buffer
	err := dispatch(context.Background(), []string{"token", "--node", tn.url, "--token",
		tn.token, "list"}, &flagsFirst)
	if err != nil || flagsFirst.String() != table {
		t.Errorf("token --node URL --token T list: %v\n%s", err, flagsFirst.String())
	}

	revoked := tn.mustRun(t, "token", "revoke", id)
	if revoked != "revoked token "+id+"\n" {
		t.Errorf("revoke printed %q", revoked)
	}
	if row := tableRow(tn.mustRun(t, "token", "list"), id); row != nil {
		t.Errorf("revoked token still listed: %q", row)
	}
}

func TestToken_Errors(t *testing.T) {
	tn := mustStartNode(t)
	var listed struct {
		Tokens []struct{ ID, Role string }
	}
	if err := json.Unmarshal([]byte(tn.mustRun(t, "token", "list", "--json")), &listed); err != nil {
		t.Fatalf("token list --json: %v", err)
	}
	if len(listed.Tokens) != 1 || listed.Tokens[0].Role != "manager" {
		t.Fatalf("tokens of a new node %+v, want one manager", listed.Tokens)
	}

	tests := []struct {
		name string
		args []string
		want string // in the error
	}{
		{"revoke unknown id", []string{"token", "revoke", "nothing"}, "404"},
		{"revoke last manager", []string{"token", "revoke", listed.Tokens[0].ID}, "409"},
		{"revoke without id", []string{"token", "revoke"}, "usage"},
		{"list with an argument", []string{"token", "list", "all"}, "usage"},
		{"unknown action", []string{"token", "rotate", "x"}, "usage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := tn.run(t, tt.args...)
			if err == nil {
				t.Fatalf("no error; printed %q", out)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}
