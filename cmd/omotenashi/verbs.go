package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/omotenashi/omotenashi/node/profile"
)

func runEnroll(_ context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("enroll", flag.ContinueOnError)
	connect := clientFlags(fs)
	name := fs.String("name", "", "the client's full name (required)")
	consent := fs.String("consent", "", "consent scope she gave: store, brand or group (required)")
	address := fs.String("address", "", "how staff address her, such as \"Ms Tanaka\"")
	language := fs.String("language", "", "her language, such as ja or fr")
	favorite := fs.String("favorite", "", "her favourite assistant")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("usage: omotenashi enroll --name NAME --consent SCOPE PHOTO...")
	}
	c, err := connect()
	if err != nil {
		return err
	}

	body, contentType, err := multipartBody(map[string]string{
		"name": *name, "consent": *consent, "address": *address, "language": *language,
		"favorite_assistant": *favorite,
	}, fs.Args())
	if err != nil {
		return err
	}
	var out map[string]any
	if err := c.do("POST", "/v1/customers", contentType, body, &out); err != nil {
		return err
	}
	return printJSON(stdout, out)
}

func runIdentify(_ context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("identify", flag.ContinueOnError)
	connect := clientFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: omotenashi identify PHOTO")
	}
	c, err := connect()
	if err != nil {
		return err
	}

	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("read photo: %w", err)
	}
	var out map[string]any
	if err := c.do("POST", "/v1/identify", "application/octet-stream", bytes.NewReader(data),
		&out); err != nil {
		return err
	}
	return printJSON(stdout, out)
}

// runCustomers prints a table of the clients whose name or address contains the words
// given, or with --json the node's response.
func runCustomers(_ context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("customers", flag.ContinueOnError)
	connect := clientFlags(fs)
	asJSON := fs.Bool("json", false, "print the node's JSON response instead of a table")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := connect()
	if err != nil {
		return err
	}

	path := "/v1/customers?q=" + url.QueryEscape(strings.Join(fs.Args(), " "))
	type list struct {
		Customers []profile.Summary `json:"customers"`
	}
	return show(c, path, "client list", *asJSON, stdout, func(w io.Writer, l list) error {
		return writeCustomers(w, l.Customers)
	})
}

// writeCustomers prints a table of clients: id, name, address and consent scope, then
// their number.
func writeCustomers(w io.Writer, list []profile.Summary) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tADDRESS\tCONSENT")
	for _, s := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.ID, s.Name, s.Address, s.Scope)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "clients found: %d\n", len(list))
	return err
}

func runCustomer(_ context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("customer", flag.ContinueOnError)
	connect := clientFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return fmt.Errorf("usage: omotenashi customer get|export|forget ID")
	}
	c, err := connect()
	if err != nil {
		return err
	}

	id := url.PathEscape(fs.Arg(1))
	switch fs.Arg(0) {
	case "get":
		var out json.RawMessage
		if err := c.do("GET", "/v1/customers/"+id, "", nil, &out); err != nil {
			return err
		}
		_, err = stdout.Write(append(out, '\n'))
		return err
	case "export":
		var raw []byte
		if err := c.do("GET", "/v1/customers/"+id+"/export", "", nil, &raw); err != nil {
			return err
		}
		_, err = stdout.Write(raw)
		return err
	case "forget":
		var out map[string]any
		if err := c.do("DELETE", "/v1/customers/"+id, "", nil, &out); err != nil {
			return err
		}
		return printJSON(stdout, out)
	}
	return fmt.Errorf("unknown action %q: want get, export or forget", fs.Arg(0))
}
