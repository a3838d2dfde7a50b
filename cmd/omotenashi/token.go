package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"text/tabwriter"
	"time"

	"github.com/omotenashi/omotenashi/node/auth"
)

const tokenUsage = "usage: omotenashi token ACTION [flags] ARGS, where ACTION ARGS is " +
	"create NAME assistant|manager, list, or revoke ID"

// runToken runs `token create NAME ROLE`, which prints a new token with its secret,
// `token list`, which prints every token without its secret, and `token revoke ID`. Flags
// may come before or after the action.
func runToken(_ context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	connect := clientFlags(fs)
	asJSON := fs.Bool("json", false, "print the node's JSON response of list and revoke")
	action, rest, err := parseAction(fs, args)
	if err != nil {
		return err
	}

	wantArgs := map[string]int{"create": 2, "list": 0, "revoke": 1}
	want, known := wantArgs[action]
	if !known || len(rest) != want {
		return fmt.Errorf("%s", tokenUsage)
	}
	c, err := connect()
	if err != nil {
		return err
	}

	switch action {
	case "create":
		return createToken(c, rest[0], rest[1], stdout)
	case "list":
		return listTokens(c, *asJSON, stdout)
	}
	return revokeToken(c, rest[0], *asJSON, stdout)
}

// parseAction parses the flags of fs around an action word, so that both `token --node URL
// list` and `token list --node URL` work. It returns the action and the arguments after it.
func parseAction(fs *flag.FlagSet, args []string) (string, []string, error) {
	if err := fs.Parse(args); err != nil {
		return "", nil, err
	}
	if fs.NArg() == 0 {
		return "", nil, nil
	}
	action := fs.Arg(0)
	if err := fs.Parse(fs.Args()[1:]); err != nil {
		return "", nil, err
	}
	return action, fs.Args(), nil
}

func createToken(c *client, name, role string, stdout io.Writer) error {
	body, _ := json.Marshal(map[string]string{"name": name, "role": role})
	var out map[string]any
	if err := c.do("POST", "/v1/tokens", "application/json", bytes.NewReader(body), &out); err != nil {
		return err
	}
	return printJSON(stdout, out)
}

func listTokens(c *client, asJSON bool, stdout io.Writer) error {
	type list struct {
		Tokens []auth.Token `json:"tokens"`
	}
	return show(c, "/v1/tokens", "token list", asJSON, stdout, func(w io.Writer, l list) error {
		return writeTokens(w, l.Tokens)
	})
}

// writeTokens prints a table of tokens: id, role, name and creation time in UTC. A token's
// secret is never in the list the node returns.
func writeTokens(w io.Writer, tokens []auth.Token) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tROLE\tNAME\tCREATED")
	for _, t := range tokens {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.ID, t.Role, t.Name,
			t.CreatedAt.UTC().Format(time.DateTime))
	}
	return tw.Flush()
}

func revokeToken(c *client, id string, asJSON bool, stdout io.Writer) error {
	var raw json.RawMessage
	if err := c.do("DELETE", "/v1/tokens/"+url.PathEscape(id), "", nil, &raw); err != nil {
		return fmt.Errorf("revoke token %s: %w", id, err)
	}
	if asJSON {
		return printRaw(stdout, raw)
	}
	_, err := fmt.Fprintf(stdout, "revoked token %s\n", id)
	return err
}
