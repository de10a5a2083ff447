package main

import (
	"bytes"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestDemoEndToEnd runs the whole demo: moto, the seeded estate, the gate's
// bootstrap under the runtime emulator. It builds the gate, so -short skips it.
func TestDemoEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the gate end to end")
	}
	var out bytes.Buffer
	if err := run(t.Context(), &out, nil); err != nil {
		t.Fatalf("demo: %v\noutput:\n%s", err, out.String())
	}
	for _, want := range []string{
		"credit-risk/1  Approved → Approved  -",
		"credit-risk/2  Approved → Rejected  impact-assessment.present",
		"credit-risk/3  Approved → Rejected  envelope.demographic_parity_difference[sex]",
		"alerts on aims-grc-alerts: ",
		"posture sweep: ",
		"s3://case-h01-policy-star",
		"s3://case-h11-restricted",
		"azure://devstoreaccount1/$web",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("got output\n%s\nwant a line with %q", out.String(), want)
		}
	}
	if strings.Contains(out.String(), "alerts on aims-grc-alerts: none") {
		t.Errorf("got no alerts, want the rejections announced")
	}
	checkDeploymentTable(t, out.String()) // deployment_test.go
	if kids := childProcesses(); len(kids) > 0 {
		t.Errorf("got child processes %v after the demo, want none", kids)
	}
}

// childProcesses lists this process's children that still exist.
func childProcesses() []string {
	if runtime.GOOS != "linux" {
		return nil
	}
	entries, _ := os.ReadDir("/proc")
	self := strconv.Itoa(os.Getpid())
	var out []string
	for _, e := range entries {
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		s := string(stat)
		fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(fields) > 1 && fields[1] == self {
			out = append(out, e.Name()+" "+s[:strings.LastIndexByte(s, ')')+1])
		}
	}
	return out
}
