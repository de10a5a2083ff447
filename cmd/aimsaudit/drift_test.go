package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func writeDriftFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// driftFiles: income shifts by 10 (KS on 20 values each), region keeps its
// mix, so exactly one of two columns drifts: share 0.5, dataset drift.
func driftFiles(t *testing.T) (ref, cur string) {
	t.Helper()
	var r, c strings.Builder
	r.WriteString("income,region\n")
	c.WriteString("income,region\n")
	regions := []string{"north", "south", "east", "west"}
	for i := 0; i < 20; i++ {
		r.WriteString(strconv.Itoa(i) + "," + regions[i%4] + "\n")
		c.WriteString(strconv.Itoa(i+10) + "," + regions[i%4] + "\n")
	}
	return writeDriftFile(t, "ref.csv", r.String()), writeDriftFile(t, "cur.csv", c.String())
}

func TestDriftCommandJSON(t *testing.T) {
	ref, cur := driftFiles(t)
	code, out, errOut := runCLI(t, "drift", "--reference", ref, "--current", cur)
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	var rep struct {
		Columns []struct {
			Column    string   `json:"column"`
			Type      string   `json:"type"`
			Test      string   `json:"test"`
			Statistic *float64 `json:"statistic"`
			PValue    *float64 `json:"p_value"`
			Threshold float64  `json:"threshold"`
			Drifted   *bool    `json:"drifted"`
		} `json:"columns"`
		DriftedColumns int     `json:"drifted_columns"`
		DriftedShare   float64 `json:"drifted_share"`
		DatasetDrift   bool    `json:"dataset_drift"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("output is not the report JSON: %v\n%s", err, out)
	}
	if len(rep.Columns) != 2 {
		t.Fatalf("got %d columns, want 2", len(rep.Columns))
	}
	inc, reg := rep.Columns[0], rep.Columns[1]
	// 20 vs 20 values shifted by half their range: D = 0.5, exact p of
	// scipy's ks_2samp for n = m = 20 at h = 10.
	if inc.Test != "ks" || inc.Type != "numerical" || *inc.Statistic != 0.5 || !*inc.Drifted {
		t.Errorf("income: got %+v, want ks D=0.5 drifted", inc)
	}
	if reg.Test != "chisquare" || reg.Type != "categorical" || *reg.PValue != 1 || *reg.Drifted {
		t.Errorf("region: got %+v, want chisquare p=1 not drifted", reg)
	}
	if rep.DriftedColumns != 1 || rep.DriftedShare != 0.5 || !rep.DatasetDrift {
		t.Errorf("got %d drifted, share %v, dataset %v; want 1, 0.5, true",
			rep.DriftedColumns, rep.DriftedShare, rep.DatasetDrift)
	}
	if errOut != "" {
		t.Errorf("stderr not empty on a pipe: %q", errOut)
	}
}

func TestDriftCommandFlags(t *testing.T) {
	ref, cur := driftFiles(t)
	code, out, _ := runCLI(t, "drift", "--reference", ref, "--current", cur,
		"--columns", "region", "--test", "psi", "--threshold", "0.5", "--format", "table")
	if code != 0 || !strings.Contains(out, "region") || !strings.Contains(out, "psi") ||
		!strings.Contains(out, "0.5") {
		t.Errorf("table: exit %d, got\n%s", code, out)
	}
	code, out, _ = runCLI(t, "drift", "--reference", ref, "--current", cur,
		"--columns", "income, region", "--categorical", "income")
	if code != 0 || !strings.Contains(out, `"type": "categorical"`) {
		t.Errorf("--categorical: exit %d, got\n%s", code, out)
	}
}

func TestDriftCommandBadInput(t *testing.T) {
	ref, cur := driftFiles(t)
	bad := writeDriftFile(t, "bad.csv", "income,region\n1,north\nabc,south\n")
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"no current", []string{"--reference", ref}, []string{"--current"}},
		{"unknown test", []string{"--reference", ref, "--current", cur, "--test", "t"},
			[]string{"--test"}},
		{"NaN threshold", []string{"--reference", ref, "--current", cur, "--threshold", "NaN"},
			[]string{"--threshold"}},
		{"negative threshold", []string{"--reference", ref, "--current", cur, "--threshold", "-1"},
			[]string{"--threshold"}},
		{"unknown ks mode", []string{"--reference", ref, "--current", cur, "--ks-mode", "x"},
			[]string{"--ks-mode"}},
		{"missing column", []string{"--reference", ref, "--current", cur, "--columns", "age"},
			[]string{"ref.csv", "age"}},
		{"non-number in numerical", []string{"--reference", ref, "--current", bad,
			"--columns", "income", "--numerical", "income"}, []string{"bad.csv:3", "income"}},
		{"ks on categories", []string{"--reference", ref, "--current", cur,
			"--columns", "region", "--test", "ks"}, []string{"region", "numerical"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, append([]string{"drift"}, tt.args...)...)
			if code != exitBadInput {
				t.Fatalf("exit %d, want %d; stderr %s", code, exitBadInput, errOut)
			}
			if strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
				t.Errorf("want one line on stderr, got %q", errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q does not name %s", errOut, w)
				}
			}
		})
	}
}
