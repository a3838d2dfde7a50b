package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/omotenashi/omotenashi/mesh"
	"github.com/omotenashi/omotenashi/node/profile"
	"github.com/omotenashi/omotenashi/replicate"
	"github.com/omotenashi/omotenashi/vision"
)

// TestMesh_ReplayedEnrollRefused runs one boutique in a mesh of its own, so its brand
// group's leader is local, and replays enrollment commands after a forget: the same
// command id is not applied again, and a new command for her id is rejected.
func TestMesh_ReplayedEnrollRefused(t *testing.T) {
	key := filepath.Join(t.TempDir(), "mesh.key")
	if _, err := mesh.GenerateMeshKey(key); err != nil {
		t.Fatal(err)
	}
	tn := mustStartNode(t, func(c *Config) {
		c.MeshKeyFile, c.Name, c.Brand, c.Group, c.Region = key, "paris", "maison", "atelier", "eu"
		c.Gossip = fmt.Sprintf("127.0.0.1:%d", freePort(t))
		c.P2PAddrs = []string{fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", freePort(t))}
		c.Profile = "loopback"
	})
	g := tn.groupOf(profile.ScopeBrand)
	if g == nil {
		t.Fatal("no brand group")
	}
	waitLeader(t, g)

	crop := sampleCrop(t, tn, "sample1.jpg")
	photo, err := tn.Faces(context.Background(), crop)
	if err != nil || len(photo.Faces) != 1 {
		t.Fatalf("faces of the crop: %v", err)
	}
	c := &profile.Customer{ID: profile.NewID(), Name: "Claire Replay", Origin: "paris",
		Consent: profile.Consent{Scope: profile.ScopeBrand, GivenAt: now(), TextVersion: "t"},
		Descriptors: []profile.Descriptor{{Engine: vision.DlibEngine,
			EngineVersion: vision.DlibEngineVersion, Vector: photo.Faces[0].Descriptor,
			AddedAt: now(), Origin: profile.OriginEnrollment}},
		CreatedAt: now(), UpdatedAt: now()}
	payload, _ := json.Marshal(c)
	enroll := replicate.Command{ID: "enroll-claire", Op: OpEnroll, CustomerID: c.ID,
		Origin: "paris", At: now(), Payload: payload}

	ctx := context.Background()
	if err := g.Submit(ctx, enroll); err != nil {
		t.Fatalf("enroll: %v", err)
	}
	if _, err := tn.store.Get(c.ID); err != nil {
		t.Fatalf("enrolled client not stored: %v", err)
	}
	status, data := tn.call(t, "DELETE", "/v1/customers/"+c.ID, "", nil)
	if status != http.StatusOK {
		t.Fatalf("forget: %d %s", status, data)
	}

	// The same command again: deduplicated, so it cannot bring her back.
	if err := g.Submit(ctx, enroll); err != nil {
		t.Fatalf("replayed enroll: %v", err)
	}
	if _, err := tn.store.Get(c.ID); !errors.Is(err, profile.ErrForgotten) {
		t.Errorf("after a replayed enroll: %v, want ErrForgotten", err)
	}

	// A new command for her id: rejected by her tombstone.
	again := enroll
	again.ID = "enroll-claire-again"
	err = g.Submit(ctx, again)
	var rejected *replicate.RejectedError
	if !errors.As(err, &rejected) {
		t.Errorf("new enroll of a forgotten id: %v, want a rejection", err)
	}
	if _, err := tn.store.Get(c.ID); !errors.Is(err, profile.ErrForgotten) {
		t.Errorf("after a new enroll of her id: %v, want ErrForgotten", err)
	}
	for _, f := range tn.mustIdentify(t, crop) {
		for _, cand := range f.Candidates {
			if cand.ID == c.ID {
				t.Errorf("forgotten client is a candidate again")
			}
		}
	}
}

// waitLeader waits until a group has a leader.
func waitLeader(t *testing.T, g *replicate.Group) {
	t.Helper()
	ok := eventually(10*time.Second, func() bool {
		st, err := g.Status()
		return err == nil && st.Leader != ""
	})
	if !ok {
		t.Fatal("group elected no leader")
	}
}
