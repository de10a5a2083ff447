package exposure

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// sharedCases is where the project's handed exposure cases live, from this
// package's directory: up to the repository root, then ../shared.
const sharedCases = "../../../shared/data/exposure-cases"

// handedCase is one file of the shared cases: a snapshot and the verdict a
// careful auditor reached, with only the fields the case pins down.
type handedCase struct {
	ID       string          `json:"id"`
	Why      string          `json:"why"`
	Snapshot json.RawMessage `json:"snapshot"`
	Expected struct {
		Verdict      *Outcome `json:"verdict"`
		Read         *bool    `json:"read"`
		Write        *bool    `json:"write"`
		List         *bool    `json:"list"`
		Latent       *bool    `json:"latent"`
		LatentAccess *Access  `json:"latentAccess"`
	} `json:"expected"`
}

func TestSharedCases(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sharedCases, "*.json"))
	if len(files) == 0 {
		t.Skipf("no shared exposure cases at %s", sharedCases)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var c handedCase
			if err := json.Unmarshal(raw, &c); err != nil {
				t.Fatalf("read case: %v", err)
			}
			snap, err := Decode(c.Snapshot, f)
			if err != nil {
				t.Fatalf("decode snapshot: %v", err)
			}
			v := Evaluate(snap)
			checkExpected(t, c, v)
		})
	}
}

func checkExpected(t *testing.T, c handedCase, v Verdict) {
	t.Helper()
	e := c.Expected
	if e.Verdict != nil && v.Verdict != *e.Verdict {
		t.Errorf("%s (%s): got verdict %s, want %s; reasons %q", c.ID, c.Why, v.Verdict,
			*e.Verdict, v.Reasons)
	}
	checkFlag(t, "read", v.Read, e.Read)
	checkFlag(t, "write", v.Write, e.Write)
	checkFlag(t, "list", v.List, e.List)
	if e.Latent != nil && v.Latent != *e.Latent {
		t.Errorf("got latent %t, want %t; reasons %q", v.Latent, *e.Latent, v.Reasons)
	}
	if e.LatentAccess != nil && (v.LatentAccess == nil || *v.LatentAccess != *e.LatentAccess) {
		t.Errorf("got latentAccess %+v, want %+v", v.LatentAccess, *e.LatentAccess)
	}
}

func checkFlag(t *testing.T, name string, got, want *bool) {
	t.Helper()
	if want == nil {
		return
	}
	if got == nil || *got != *want {
		t.Errorf("got %s %s, want %t", name, showFlag(got), *want)
	}
}

func showFlag(b *bool) string {
	if b == nil {
		return "null"
	}
	if *b {
		return "true"
	}
	return "false"
}
