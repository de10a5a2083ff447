package exposure

import (
	"errors"
	"strings"
	"testing"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

func TestDecodeRejectsBadInput(t *testing.T) {
	tests := []struct {
		name, doc, wantIn string
	}{
		{"not JSON", "{\n\"kind\": ", "snap.json"},
		{"syntax error line", "{\n\"kind\": \"s3-bucket\",\n\"bucket\": x}", "snap.json:3"},
		{"no kind", `{"bucket":"b"}`, "kind: missing"},
		{"unknown kind", `{"kind":"gcs-bucket"}`, `kind: got "gcs-bucket"`},
		{"no bucket", `{"kind":"s3-bucket"}`, "bucket: missing"},
		{"wrong type", "{\"kind\":\"s3-bucket\",\"bucket\":\"b\",\n\"website\":\"yes\"}",
			"snap.json:2: website"},
		{"bad policy", `{"kind":"s3-bucket","bucket":"b","policy":"{\"Statement\":[]}"}`,
			"policy: parse policy: empty Statement"},
		{"bad access point policy", `{"kind":"s3-bucket","bucket":"b","accessPoints":` +
			`[{"Name":"ap1","policy":"nope"}]}`, "accessPoints[ap1].policy"},
		{"access point twice", `{"kind":"s3-bucket","bucket":"b","accessPoints":` +
			`[{"Name":"ap1"},{"Name":"ap1"}]}`, "listed twice"},
		{"bad level", `{"kind":"azure-blob-container","storageAccount":{"name":"a"},` +
			`"container":{"name":"c","publicAccess":"Everyone"}}`, "container.publicAccess"},
		{"no container", `{"kind":"azure-blob-container","storageAccount":{"name":"a"}}`,
			"container.name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.doc), "snap.json")
			if err == nil || !badinput.Is(err) {
				t.Fatalf("got %v, want a bad-input error", err)
			}
			if !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("got %q, want it to name %q", err, tt.wantIn)
			}
		})
	}
}

func TestDecodeIgnoresFieldOfFailedCall(t *testing.T) {
	doc := `{"kind":"s3-bucket","bucket":"b","policy":"garbage","errors":{"policy":"AccessDenied"},` +
		`"collectedBy":"a newer sweep"}`
	snap, err := Decode([]byte(doc), "snap.json")
	if err != nil {
		t.Fatalf("got %v, want the failed call's field ignored", err)
	}
	if v := Evaluate(snap); v.Verdict != Indeterminate {
		t.Errorf("got %s, want indeterminate", v.Verdict)
	}
}

func TestParsePolicyErrorsNameTheStatement(t *testing.T) {
	tests := []struct{ doc, want string }{
		{`{"Statement":{"Effect":"Allow","Action":"s3:*"}}`, "exactly one of Principal"},
		{`{"Statement":{"Effect":"allow","Principal":"*","Action":"s3:*"}}`, "Effect"},
		{`{"Statement":[{"Effect":"Allow","Principal":"*"}]}`, "exactly one of Action"},
		{`{"Statement":[{"Effect":"Allow","Principal":"me","Action":"s3:*"}]}`, "Principal"},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":{"a":1}}]}`, "Action"},
		{`{"Version":"2012-10-17"}`, "no Statement"},
	}
	for _, tt := range tests {
		_, err := ParsePolicy(tt.doc)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParsePolicy(%s): got %v, want an error naming %q", tt.doc, err, tt.want)
		}
	}
	var target *badinput.Error
	if _, err := ParsePolicy("x"); errors.As(err, &target) {
		t.Error("ParsePolicy returned bad input itself; Decode adds the file and field")
	}
}

func TestParsePolicyNormalises(t *testing.T) {
	p, err := ParsePolicy(`{"Statement":{"Sid":"s","Effect":"Deny","Principal":{"AWS":["1","2"]},` +
		`"NotAction":"s3:GetObject","Resource":["a","b"],"Condition":{"Bool":` +
		`{"aws:SecureTransport":false},"NumericLessThan":{"s3:max-keys":[10,"20"]}}}}`)
	if err != nil {
		t.Fatal(err)
	}
	s := p.Statements[0]
	if s.Sid != "s" || len(s.Principal.IDs["AWS"]) != 2 || len(s.NotAction) != 1 ||
		len(s.Resource) != 2 {
		t.Errorf("got %+v, want lists normalised", s)
	}
	if len(s.Conditions) != 2 || s.Conditions[0].Values[0] != "false" ||
		s.Conditions[1].Values[0] != "10" || s.Conditions[1].Values[1] != "20" {
		t.Errorf("got conditions %+v, want Bool false then NumericLessThan 10,20", s.Conditions)
	}
}

func TestDecodeReadsAWrappedCase(t *testing.T) {
	wrapped := `{"id": "c1", "why": "reviewed", "expected": {"verdict": "public"},
	  "snapshot": {"kind": "azure-blob-container",
	    "storageAccount": {"name": "acct", "allowBlobPublicAccess": true},
	    "container": {"name": "models", "publicAccess": "Container"}, "errors": {}}}`
	snap, err := Decode([]byte(wrapped), "case.json")
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if v := Evaluate(snap); v.Verdict != Public || v.Resource != "azure://acct/models" {
		t.Errorf("got %s %s, want public azure://acct/models", v.Verdict, v.Resource)
	}
	_, err = Decode([]byte(`{"snapshot": {"kind": "nfs"}}`), "case.json")
	if err == nil || !strings.Contains(err.Error(), "case.json: snapshot") {
		t.Errorf("got %v, want an error naming the wrapped snapshot", err)
	}
}
