package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fairnessEvalFile writes a small evaluation CSV: group B has no positive label.
func fairnessEvalFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "eval.csv")
	data := "y_true,y_pred,sex,age\n1,1,F,old\n0,1,F,young\n1,0,M,old\n0,0,M,young\n1,1,M,old\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func runFairnessCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestFairnessJSON(t *testing.T) {
	path := fairnessEvalFile(t)
	code, out, errOut := runFairnessCLI(t, "fairness", "--data", path, "--label", "y_true",
		"--prediction", "y_pred", "--sensitive", "sex", "--sensitive", "sex,age",
		"--positive", "1", "--method", "to_overall", "--agg", "mean", "--facet", "sex=F")
	if code != 0 || errOut != "" {
		t.Fatalf("got exit %d stderr %q, want 0 and nothing on stderr", code, errOut)
	}
	var doc struct {
		Rows     int    `json:"rows"`
		Positive string `json:"positive"`
		Method   string `json:"method"`
		Agg      string `json:"agg"`
		Overall  map[string]any
		Sets     []struct {
			Sensitive []string         `json:"sensitive"`
			Groups    []map[string]any `json:"groups"`
			Metrics   map[string]any   `json:"metrics"`
			Warnings  []map[string]any `json:"warnings"`
		} `json:"sets"`
		Clarify map[string]any `json:"clarify"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if doc.Rows != 5 || doc.Positive != "1" || doc.Method != "to_overall" || doc.Agg != "mean" {
		t.Errorf("got rows %d positive %q method %q agg %q",
			doc.Rows, doc.Positive, doc.Method, doc.Agg)
	}
	if len(doc.Sets) != 2 || strings.Join(doc.Sets[1].Sensitive, ",") != "sex,age" {
		t.Fatalf("got sets %+v, want [sex] and [sex age]", doc.Sets)
	}
	if n := len(doc.Sets[1].Groups); n != 4 {
		t.Errorf("got %d intersectional groups, want 4", n)
	}
	if v, ok := doc.Overall["accuracy"].(float64); !ok || v != 0.6 {
		t.Errorf("got overall accuracy %v, want 0.6", doc.Overall["accuracy"])
	}
	if doc.Clarify == nil || doc.Clarify["facet"].(map[string]any)["sex"] != "F" {
		t.Errorf("got clarify %v, want facet sex=F", doc.Clarify)
	}
}

func TestFairnessTable(t *testing.T) {
	code, out, _ := runFairnessCLI(t, "fairness", "--data", fairnessEvalFile(t),
		"--label", "y_true", "--prediction", "y_pred", "--sensitive", "sex", "--positive", "1",
		"--format", "table")
	if code != 0 {
		t.Fatalf("got exit %d, want 0", code)
	}
	for _, want := range []string{"rows 5", "sensitive set: sex", "sex=F", "sex=M",
		"demographic_parity", "equalized_odds", "TPR"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestFairnessBadInputExitsTwo(t *testing.T) {
	path := fairnessEvalFile(t)
	bad := filepath.Join(t.TempDir(), "bad.csv")
	badData := []byte("y_true,y_pred,sex\n1,1,F\n0,maybe,M\n")
	if err := os.WriteFile(bad, badData, 0o600); err != nil {
		t.Fatal(err)
	}
	base := []string{"fairness", "--label", "y_true", "--prediction", "y_pred", "--positive", "1"}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no data", []string{"--sensitive", "sex"}, "--data"},
		{"no sensitive", []string{"--data", path}, "--sensitive"},
		{"bad method", []string{"--data", path, "--sensitive", "sex", "--method", "x"}, "--method"},
		{"bad facet", []string{"--data", path, "--sensitive", "sex", "--facet", "sex"}, "--facet"},
		{"bad format", []string{"--data", path, "--sensitive", "sex", "--format", "xml"},
			"--format"},
		{"missing file", []string{"--data", path + ".none", "--sensitive", "sex"}, "eval.csv.none"},
		{"missing column", []string{"--data", path, "--sensitive", "race"}, "eval.csv:1: race"},
		{"third class", []string{"--data", bad, "--sensitive", "sex"}, "bad.csv:3: y_pred"},
		{"unknown flag", []string{"--data", path, "--sensitive", "sex", "--bogus"}, "bogus"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runFairnessCLI(t, append(base, tt.args...)...)
			if code != 2 {
				t.Errorf("got exit %d, want 2 (stderr %q)", code, errOut)
			}
			if out != "" || strings.Count(strings.TrimSpace(errOut), "\n") != 0 ||
				!strings.Contains(errOut, tt.want) {
				t.Errorf("got stdout %q stderr %q, want one stderr line naming %q",
					out, errOut, tt.want)
			}
		})
	}
}
