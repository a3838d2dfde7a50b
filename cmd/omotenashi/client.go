package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// client talks to a running node's API.
type client struct {
	base  string
	token string
	http  *http.Client
}

// clientFlags declares --node and --token on fs and returns a function that builds the
// client once fs is parsed.
func clientFlags(fs *flag.FlagSet) func() (*client, error) {
	base := fs.String("node", envOr("OMOTENASHI_NODE", "http://127.0.0.1:8080"),
		"URL of the node (env OMOTENASHI_NODE)")
	token := fs.String("token", "",
		"staff token (default: env OMOTENASHI_TOKEN, then the admin-token file of --data)")
	data := fs.String("data", "demo-data", "data folder whose admin-token to use when no token is given")

	return func() (*client, error) {
		t := *token
		if t == "" {
			t = os.Getenv("OMOTENASHI_TOKEN")
		}
		if t == "" {
			raw, err := os.ReadFile(filepath.Join(*data, "admin-token"))
			if err != nil {
				return nil, errors.New("no token: pass --token, set OMOTENASHI_TOKEN, " +
					"or --data DIR of a node on this machine")
			}
			t = strings.TrimSpace(string(raw))
		}
		return &client{base: strings.TrimRight(*base, "/"), token: t,
			http: &http.Client{Timeout: 2 * time.Minute}}, nil
	}
}

func envOr(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

// do sends a request and decodes the JSON response into out. An error response becomes an
// error carrying the node's message.
func (c *client) do(method, path, contentType string, body io.Reader, out any) error {
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}

	res, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w (is the node running?)", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("read response of %s %s: %w", method, path, err)
	}

	if res.StatusCode >= 300 {
		var e struct{ Error string }
		if json.Unmarshal(raw, &e) == nil && e.Error != "" {
			return fmt.Errorf("%s: %s", res.Status, e.Error)
		}
		return fmt.Errorf("%s %s: %s", method, path, res.Status)
	}
	if dst, ok := out.(*[]byte); ok {
		*dst = raw
		return nil
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}

// multipartBody builds a form with fields and one "photo" part per file.
func multipartBody(fields map[string]string, files []string) (*bytes.Buffer, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		if v != "" {
			w.WriteField(k, v)
		}
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, "", fmt.Errorf("read photo: %w", err)
		}
		part, err := w.CreateFormFile("photo", filepath.Base(path))
		if err != nil {
			return nil, "", err
		}
		part.Write(data)
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return &buf, w.FormDataContentType(), nil
}

// printJSON writes v indented to w.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// printRaw writes a JSON response as the node sent it, ending with a newline.
func printRaw(w io.Writer, raw json.RawMessage) error {
	_, err := w.Write(append(bytes.TrimSpace(raw), '\n'))
	return err
}

// show GETs path from the node and prints the response: as the node sent it with asJSON,
// else decoded into T and written by write. what names the response in errors.
func show[T any](c *client, path, what string, asJSON bool, stdout io.Writer,
	write func(io.Writer, T) error) error {

	var raw json.RawMessage
	if err := c.do("GET", path, "", nil, &raw); err != nil {
		return err
	}
	if asJSON {
		return printRaw(stdout, raw)
	}
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		return fmt.Errorf("decode %s: %w", what, err)
	}
	return write(stdout, v)
}
