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

func runCustomers(_ context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("customers", flag.ContinueOnError)
	connect := clientFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := connect()
	if err != nil {
		return err
	}

	var out map[string]any
	path := "/v1/customers?q=" + url.QueryEscape(strings.Join(fs.Args(), " "))
	if err := c.do("GET", path, "", nil, &out); err != nil {
		return err
	}
	return printJSON(stdout, out)
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

func runToken(_ context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	connect := clientFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 3 || fs.Arg(0) != "create" {
		return fmt.Errorf("usage: omotenashi token create NAME assistant|manager")
	}
	c, err := connect()
	if err != nil {
		return err
	}

	body, _ := json.Marshal(map[string]string{"name": fs.Arg(1), "role": fs.Arg(2)})
	var out map[string]any
	if err := c.do("POST", "/v1/tokens", "application/json", bytes.NewReader(body), &out); err != nil {
		return err
	}
	return printJSON(stdout, out)
}

func runStatus(_ context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	connect := clientFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := connect()
	if err != nil {
		return err
	}

	var out map[string]any
	if err := c.do("GET", "/v1/status", "", nil, &out); err != nil {
		return err
	}
	return printJSON(stdout, out)
}
