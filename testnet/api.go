package testnet

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"github.com/omotenashi/omotenashi/node"
	"github.com/omotenashi/omotenashi/node/profile"
)

// call sends a request with the node's manager token and returns the status and body.
func (p *nodeProcess) call(method, path, contentType string, body []byte,
	timeout time.Duration) (int, []byte, error) {
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, p.url+path, reader)
	if err != nil {
		return 0, nil, err
	}
	if p.token != "" {
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := (&http.Client{Timeout: timeout}).Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s on %s: %w", method, path, p.spec.Name, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	return res.StatusCode, data, err
}

// enroll enrolls a client with photo and returns her id. force skips the node's check
// that the face is not already enrolled.
func (p *nodeProcess) enroll(name, scope string, photo []byte, force bool) (string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("name", name)
	w.WriteField("consent", scope)
	if force {
		w.WriteField("force", "true")
	}
	part, err := w.CreateFormFile("photo", "photo.jpg")
	if err != nil {
		return "", err
	}
	part.Write(photo)
	w.Close()

	status, data, err := p.call("POST", "/v1/customers", w.FormDataContentType(), buf.Bytes(),
		time.Minute)
	if err != nil {
		return "", err
	}
	if status != http.StatusCreated && status != http.StatusAccepted {
		return "", fmt.Errorf("enroll at %s: status %d: %s", p.spec.Name, status, data)
	}
	var out struct{ ID string }
	if err := json.Unmarshal(data, &out); err != nil || out.ID == "" {
		return "", fmt.Errorf("enroll at %s: no id in %s", p.spec.Name, data)
	}
	return out.ID, nil
}

// identify posts a photo and returns the node's decision for each face.
func (p *nodeProcess) identify(photo []byte) ([]node.Identified, error) {
	status, data, err := p.call("POST", "/v1/identify", "image/jpeg", photo, 30*time.Second)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("identify at %s: status %d: %s", p.spec.Name, status, data)
	}
	var out struct{ Faces []node.Identified }
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("identify at %s: decode: %w", p.spec.Name, err)
	}
	return out.Faces, nil
}

// recognizes reports whether a face of photo is a match or a candidate for id.
func (p *nodeProcess) recognizes(photo []byte, id string) bool {
	faces, err := p.identify(photo)
	if err != nil {
		return false
	}
	for _, f := range faces {
		if f.Customer != nil && f.Customer.ID == id {
			return true
		}
		for _, c := range f.Candidates {
			if c.ID == id {
				return true
			}
		}
	}
	return false
}

// purchase records a purchase of sku for id and returns the HTTP status (0 when the node
// did not respond).
func (p *nodeProcess) purchase(id, sku string) int {
	body := fmt.Sprintf(`{"sku":%q,"item":"testnet item","price":100,"currency":"EUR"}`, sku)
	status, _, err := p.call("POST", "/v1/customers/"+id+"/purchases", "application/json",
		[]byte(body), 20*time.Second)
	if err != nil {
		return 0
	}
	return status
}

// customer returns the status of GET /v1/customers/{id} and, on 200, the profile.
func (p *nodeProcess) customer(id string) (int, *profile.Customer) {
	status, data, err := p.call("GET", "/v1/customers/"+id, "", nil, 5*time.Second)
	if err != nil {
		return 0, nil
	}
	if status != http.StatusOK {
		return status, nil
	}
	var c profile.Customer
	if json.Unmarshal(data, &c) != nil {
		return 0, nil
	}
	return status, &c
}

// meshStatus returns the node's view of the mesh.
func (p *nodeProcess) meshStatus() (*node.MeshStatus, error) {
	status, data, err := p.call("GET", "/v1/mesh", "", nil, 5*time.Second)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("mesh status of %s: status %d", p.spec.Name, status)
	}
	var st node.MeshStatus
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("mesh status of %s: %w", p.spec.Name, err)
	}
	return &st, nil
}

// watchEvents reads the node's /v1/events stream and sends each arrival to seen until ctx
// ends or the stream breaks.
func (p *nodeProcess) watchEvents(ctx context.Context, seen func(node.Arrival)) error {
	req, err := http.NewRequestWithContext(ctx, "GET", p.url+"/v1/events?access_token="+
		p.token, nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("events of %s: %w", p.spec.Name, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("events of %s: status %d", p.spec.Name, res.StatusCode)
	}

	scanner := bufio.NewScanner(res.Body)
	scanner.Buffer(make([]byte, 1<<20), 4<<20) // arrivals carry a face crop as a data URL
	for scanner.Scan() {
		data, ok := strings.CutPrefix(scanner.Text(), "data: ")
		if !ok {
			continue
		}
		var a node.Arrival
		if json.Unmarshal([]byte(data), &a) == nil {
			seen(a)
		}
	}
	return scanner.Err()
}
