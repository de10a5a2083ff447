package exposure

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Policy is a parsed resource policy (a bucket or access point policy).
type Policy struct {
	Version    string
	Statements []Statement
}

// Statement is one policy statement with its list fields normalised: a
// single string and a one-element list read the same.
type Statement struct {
	Sid          string
	Effect       string // "Allow" or "Deny"
	Principal    *Principal
	NotPrincipal *Principal
	Action       []string
	NotAction    []string
	Resource     []string
	NotResource  []string
	Conditions   []Condition
}

// Principal is a statement's Principal or NotPrincipal: either the bare
// string "*" or a map from principal type (AWS, CanonicalUser, Service,
// Federated) to identifiers.
type Principal struct {
	Star bool
	IDs  map[string][]string
}

// Condition is one key test of a Condition block: operator, key and the
// values it compares with (any of which may match).
type Condition struct {
	Operator string
	Key      string
	Values   []string
}

// rawStatement mirrors the policy grammar before normalisation.
type rawStatement struct {
	Sid          string                                `json:"Sid"`
	Effect       string                                `json:"Effect"`
	Principal    json.RawMessage                       `json:"Principal"`
	NotPrincipal json.RawMessage                       `json:"NotPrincipal"`
	Action       json.RawMessage                       `json:"Action"`
	NotAction    json.RawMessage                       `json:"NotAction"`
	Resource     json.RawMessage                       `json:"Resource"`
	NotResource  json.RawMessage                       `json:"NotResource"`
	Condition    map[string]map[string]json.RawMessage `json:"Condition"`
}

// ParsePolicy parses a policy document as S3 stores it. It rejects what S3
// itself would refuse to store (no statement, an effect other than Allow or
// Deny, no principal, no action), so a verdict is never built on a guess.
func ParsePolicy(doc string) (Policy, error) {
	var top struct {
		Version   string          `json:"Version"`
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(doc), &top); err != nil {
		return Policy{}, fmt.Errorf("parse policy: %w", err)
	}
	raws, err := rawStatements(top.Statement)
	if err != nil {
		return Policy{}, err
	}
	p := Policy{Version: top.Version}
	for i, r := range raws {
		s, err := normalise(r)
		if err != nil {
			return Policy{}, fmt.Errorf("policy statement %d: %w", i+1, err)
		}
		p.Statements = append(p.Statements, s)
	}
	return p, nil
}

func rawStatements(raw json.RawMessage) ([]rawStatement, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, errors.New("parse policy: no Statement")
	}
	if raw[0] == '{' {
		var one rawStatement
		if err := json.Unmarshal(raw, &one); err != nil {
			return nil, fmt.Errorf("parse policy Statement: %w", err)
		}
		return []rawStatement{one}, nil
	}
	var many []rawStatement
	if err := json.Unmarshal(raw, &many); err != nil {
		return nil, fmt.Errorf("parse policy Statement: %w", err)
	}
	if len(many) == 0 {
		return nil, errors.New("parse policy: empty Statement list")
	}
	return many, nil
}

func normalise(r rawStatement) (Statement, error) {
	s := Statement{Sid: r.Sid, Effect: r.Effect}
	if s.Effect != "Allow" && s.Effect != "Deny" {
		return s, fmt.Errorf("field Effect: got %q, want Allow or Deny", r.Effect)
	}
	var err error
	if s.Principal, err = parsePrincipal(r.Principal); err != nil {
		return s, fmt.Errorf("Principal: %w", err)
	}
	if s.NotPrincipal, err = parsePrincipal(r.NotPrincipal); err != nil {
		return s, fmt.Errorf("NotPrincipal: %w", err)
	}
	if (s.Principal == nil) == (s.NotPrincipal == nil) {
		return s, errors.New("want exactly one of Principal and NotPrincipal")
	}
	lists := []struct {
		name string
		raw  json.RawMessage
		dst  *[]string
	}{
		{"Action", r.Action, &s.Action}, {"NotAction", r.NotAction, &s.NotAction},
		{"Resource", r.Resource, &s.Resource}, {"NotResource", r.NotResource, &s.NotResource},
	}
	for _, l := range lists {
		if *l.dst, err = stringList(l.raw); err != nil {
			return s, fmt.Errorf("%s: %w", l.name, err)
		}
	}
	if (r.Action == nil) == (r.NotAction == nil) {
		return s, errors.New("want exactly one of Action and NotAction")
	}
	s.Conditions, err = parseConditions(r.Condition)
	return s, err
}

func parsePrincipal(raw json.RawMessage) (*Principal, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		if s != "*" {
			return nil, fmt.Errorf("got string %q, want \"*\" or an object", s)
		}
		return &Principal{Star: true}, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	p := &Principal{IDs: map[string][]string{}}
	for typ, v := range m {
		ids, err := stringList(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", typ, err)
		}
		p.IDs[typ] = ids
	}
	return p, nil
}

func parseConditions(block map[string]map[string]json.RawMessage) ([]Condition, error) {
	var out []Condition
	for op, keys := range block {
		for key, raw := range keys {
			vals, err := stringList(raw)
			if err != nil {
				return nil, fmt.Errorf("Condition %s %s: %w", op, key, err)
			}
			out = append(out, Condition{Operator: op, Key: key, Values: vals})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Operator != out[j].Operator {
			return out[i].Operator < out[j].Operator
		}
		return out[i].Key < out[j].Key
	})
	return out, nil
}

// stringList reads a policy value that may be one scalar or a list of them;
// booleans and numbers (as in Bool and Numeric conditions) keep their JSON
// spelling.
func stringList(raw json.RawMessage) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	if raw[0] != '[' {
		s, err := scalar(raw)
		if err != nil {
			return nil, err
		}
		return []string{s}, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, err
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, err := scalar(bytes.TrimSpace(it))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func scalar(raw json.RawMessage) (string, error) {
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", err
	}
	switch v.(type) {
	case bool, float64:
		return string(raw), nil
	}
	return "", fmt.Errorf("got %s, want a string or a list of strings",
		strings.TrimSpace(string(raw)))
}
