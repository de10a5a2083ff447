package register

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

// Store lists and reads the register's documents by name relative to its
// root, such as "systems/credit-risk.json".
type Store interface {
	List(ctx context.Context, dir string) ([]string, error)
	Read(ctx context.Context, name string) ([]byte, error)
	// Location names a document for errors and evidence, e.g. an s3:// URI.
	Location(name string) string
}

// Register is the loaded set of systems and assessments, each kept with the
// raw bytes it was parsed from so the evidence shows exactly what was read.
type Register struct {
	Systems     []*System
	Assessments map[string]*Assessment
	Raw         map[string][]byte // by document location
	locations   map[any]string
}

// Load reads every document under systems/ and assessments/. A document that
// does not parse is bad input naming the document and the field.
func Load(ctx context.Context, store Store) (*Register, error) {
	reg := &Register{
		Assessments: map[string]*Assessment{},
		Raw:         map[string][]byte{},
		locations:   map[any]string{},
	}
	if err := reg.loadDir(ctx, store, "systems", reg.addSystem); err != nil {
		return nil, err
	}
	if err := reg.loadDir(ctx, store, "assessments", reg.addAssessment); err != nil {
		return nil, err
	}
	return reg, nil
}

func (r *Register) loadDir(ctx context.Context, store Store, dir string,
	add func(loc string, raw []byte) error) error {
	names, err := store.List(ctx, dir)
	if err != nil {
		return fmt.Errorf("list register %s: %w", dir, err)
	}
	sort.Strings(names)
	for _, name := range names {
		if !strings.HasSuffix(name, ".json") {
			continue
		}
		raw, err := store.Read(ctx, name)
		if err != nil {
			return fmt.Errorf("read register document %s: %w", store.Location(name), err)
		}
		loc := store.Location(name)
		r.Raw[loc] = raw
		if err := add(loc, raw); err != nil {
			return err
		}
	}
	return nil
}

func (r *Register) addSystem(loc string, raw []byte) error {
	var s System
	if err := decode(loc, raw, &s); err != nil {
		return err
	}
	if err := s.validate(loc); err != nil {
		return err
	}
	r.Systems = append(r.Systems, &s)
	r.locations[&s] = loc
	return nil
}

func (r *Register) addAssessment(loc string, raw []byte) error {
	var a Assessment
	if err := decode(loc, raw, &a); err != nil {
		return err
	}
	if err := a.validate(loc); err != nil {
		return err
	}
	if prev, ok := r.Assessments[a.ID]; ok {
		return badinput.Errorf(loc, 0, "id", "assessment %q is also defined in %s",
			a.ID, r.locations[prev])
	}
	r.Assessments[a.ID] = &a
	r.locations[&a] = loc
	return nil
}

// LocationOf returns where a system or assessment of this register was read.
func (r *Register) LocationOf(doc any) string { return r.locations[doc] }

// SystemsForGroup returns every system whose SageMaker model package groups
// include group. Exactly one is expected; the caller judges other counts.
func (r *Register) SystemsForGroup(group string) []*System {
	var out []*System
	for _, s := range r.Systems {
		for _, g := range s.SageMaker.ModelPackageGroups {
			if g == group {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// decode parses one document, turning the decoder's byte offsets into the
// line and field a person can find in their editor.
func decode(loc string, raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	err := dec.Decode(v)
	if err == nil {
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return badinput.Errorf(loc, lineAt(raw, syn.Offset), "", "invalid JSON: %w", err)
	case errors.As(err, &typ):
		return badinput.Errorf(loc, lineAt(raw, typ.Offset), typ.Field,
			"want %s, got JSON %s", typ.Type, typ.Value)
	default:
		return badinput.Errorf(loc, 0, "", "invalid JSON: %w", err)
	}
}

func lineAt(raw []byte, offset int64) int {
	if offset > int64(len(raw)) {
		offset = int64(len(raw))
	}
	return bytes.Count(raw[:offset], []byte("\n")) + 1
}
