package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const publicBucketSnapshot = `{
  "kind": "s3-bucket", "account": "111122223333", "bucket": "credit-risk-eval",
  "accountPublicAccessBlock": null, "bucketPublicAccessBlock": null,
  "policy": "{\"Version\":\"2012-10-17\",\"Statement\":[` +
	`{\"Effect\":\"Allow\",\"Principal\":\"*\",` +
	`\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::credit-risk-eval/*\"}]}",
  "acl": {"Owner": {"ID": "abc"}, "Grants": []},
  "ownership": "BucketOwnerEnforced", "website": false, "accessPoints": [], "errors": {}
}`

func writeSnapshot(t *testing.T, doc string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "snapshot.json")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestExposureJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"exposure", "--snapshot", writeSnapshot(t, publicBucketSnapshot)},
		&out, &errOut)
	if code != exitOK {
		t.Fatalf("got exit %d (%s), want 0", code, errOut.String())
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out.String())
	}
	wantFields := map[string]any{"resource": "s3://credit-risk-eval", "verdict": "public",
		"read": true, "write": false, "list": false, "latent": false, "latentAccess": nil,
		"network": nil}
	for k, want := range wantFields {
		if v, ok := got[k]; !ok || v != want {
			t.Errorf("got %s = %v (present %t), want %v", k, v, ok, want)
		}
	}
	reasons, _ := got["reasons"].([]any)
	if len(reasons) == 0 || !strings.Contains(reasons[0].(string), "policy statement 1 allows") {
		t.Errorf("got reasons %v, want the policy statement named first", reasons)
	}
}

func TestExposureTable(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"exposure", "--snapshot", writeSnapshot(t, publicBucketSnapshot),
		"--format", "table"}, &out, &errOut)
	if code != exitOK {
		t.Fatalf("got exit %d (%s), want 0", code, errOut.String())
	}
	for _, want := range []string{"verdict", "public", "reasons:", "  - policy statement 1"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}

func TestExposureBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no snapshot", []string{"exposure"}, "--snapshot"},
		{"missing file", []string{"exposure", "--snapshot", "/nonexistent/s.json"}, "s.json"},
		{"bad format", []string{"exposure", "--snapshot", "x.json", "--format", "xml"}, "--format"},
		{"bad kind", []string{"exposure", "--snapshot", ""}, "kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := tt.args
			if tt.name == "bad kind" {
				args[2] = writeSnapshot(t, `{"kind": "bucket"}`)
			}
			var out, errOut bytes.Buffer
			if code := run(args, &out, &errOut); code != exitBadInput {
				t.Errorf("got exit %d, want %d", code, exitBadInput)
			}
			lines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], tt.want) {
				t.Errorf("got stderr %q, want one line naming %q", errOut.String(), tt.want)
			}
		})
	}
}

// TestExposureHandedCases runs the shared cases through the command, so the
// whole path from file to output is held to them.
func TestExposureHandedCases(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/data/exposure-cases/*.json")
	if len(files) == 0 {
		t.Skip("no shared exposure cases")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var c struct {
				Snapshot json.RawMessage `json:"snapshot"`
				Expected map[string]any  `json:"expected"`
			}
			if err := json.Unmarshal(raw, &c); err != nil {
				t.Fatal(err)
			}
			var out, errOut bytes.Buffer
			if code := run([]string{"exposure", "--snapshot", writeSnapshot(t, string(c.Snapshot))},
				&out, &errOut); code != exitOK {
				t.Fatalf("got exit %d (%s), want 0", code, errOut.String())
			}
			var got map[string]any
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			for k, want := range c.Expected {
				wj, _ := json.Marshal(want)
				gj, _ := json.Marshal(got[k])
				if string(wj) != string(gj) {
					t.Errorf("got %s = %s, want %s", k, gj, wj)
				}
			}
		})
	}
}
