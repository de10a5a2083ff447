package exposure

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

// Decode reads one snapshot file. Malformed JSON, a missing or unknown kind,
// a missing name and a stored policy that is not a valid policy document are
// bad input, named by source, line and field; unknown extra fields are
// allowed, since collectors may add evidence.
func Decode(data []byte, source string) (Snapshot, error) {
	var head struct {
		Kind     *string         `json:"kind"`
		Snapshot json.RawMessage `json:"snapshot"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return Snapshot{}, jsonError(data, source, err)
	}
	if head.Kind == nil && len(head.Snapshot) > 0 && head.Snapshot[0] == '{' {
		// A reviewed case wraps the snapshot beside its expected verdict.
		return Decode(head.Snapshot, source+": snapshot")
	}
	if head.Kind == nil {
		return Snapshot{}, badinput.Errorf(source, 0, "kind", "missing; want %q or %q",
			KindS3Bucket, KindAzureContainer)
	}
	switch *head.Kind {
	case KindS3Bucket:
		return decodeS3(data, source)
	case KindAzureContainer:
		return decodeAzure(data, source)
	}
	return Snapshot{}, badinput.Errorf(source, 0, "kind", "got %q, want %q or %q",
		*head.Kind, KindS3Bucket, KindAzureContainer)
}

func decodeS3(data []byte, source string) (Snapshot, error) {
	var b S3Bucket
	if err := json.Unmarshal(data, &b); err != nil {
		return Snapshot{}, jsonError(data, source, err)
	}
	if b.Bucket == "" {
		return Snapshot{}, badinput.Errorf(source, 0, "bucket", "missing bucket name")
	}
	if err := checkPolicy(b.Policy, b.Errors["policy"], source, "policy"); err != nil {
		return Snapshot{}, err
	}
	seen := map[string]bool{}
	for i, ap := range b.AccessPoints {
		field := fmt.Sprintf("accessPoints[%d].Name", i)
		if ap.Name == "" {
			return Snapshot{}, badinput.Errorf(source, 0, field, "missing access point name")
		}
		if seen[ap.Name] {
			return Snapshot{}, badinput.Errorf(source, 0, field,
				"access point %q listed twice", ap.Name)
		}
		seen[ap.Name] = true
		path := apPath(ap.Name, "policy")
		if err := checkPolicy(ap.Policy, b.Errors[path], source, path); err != nil {
			return Snapshot{}, err
		}
	}
	return Snapshot{S3: &b}, nil
}

// checkPolicy rejects a stored policy that does not parse, unless the call
// that read it failed, in which case the value is ignored anyway.
func checkPolicy(doc *string, callErr, source, field string) error {
	if doc == nil || callErr != "" {
		return nil
	}
	if _, err := ParsePolicy(*doc); err != nil {
		return badinput.Errorf(source, 0, field, "%w", err)
	}
	return nil
}

func decodeAzure(data []byte, source string) (Snapshot, error) {
	var c AzureContainer
	if err := json.Unmarshal(data, &c); err != nil {
		return Snapshot{}, jsonError(data, source, err)
	}
	if c.StorageAccount.Name == "" {
		return Snapshot{}, badinput.Errorf(source, 0, "storageAccount.name", "missing account name")
	}
	if c.Container.Name == "" {
		return Snapshot{}, badinput.Errorf(source, 0, "container.name", "missing container name")
	}
	if c.Errors["container"] == "" {
		if _, ok := parseLevel(c.Container.PublicAccess); !ok {
			return Snapshot{}, badinput.Errorf(source, 0, "container.publicAccess",
				"got %q, want None, Blob or Container", c.Container.PublicAccess)
		}
	}
	return Snapshot{Azure: &c}, nil
}

// jsonError turns a decoding error into bad input with the line it occurred
// on and, for a type mismatch, the field.
func jsonError(data []byte, source string, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return badinput.Errorf(source, lineOf(data, syn.Offset), "", "invalid JSON: %w", err)
	case errors.As(err, &typ):
		return badinput.Errorf(source, lineOf(data, typ.Offset), typ.Field,
			"got JSON %s, want %s", typ.Value, typ.Type)
	}
	msg := err.Error()
	if strings.Contains(msg, "unexpected end") {
		return badinput.Errorf(source, 0, "", "truncated JSON: %w", err)
	}
	return badinput.Errorf(source, 0, "", "%w", err)
}

func lineOf(data []byte, offset int64) int {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	return bytes.Count(data[:offset], []byte("\n")) + 1
}
