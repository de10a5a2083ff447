package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aimsaudit/aimsaudit/localstack/estate"
	"github.com/aimsaudit/aimsaudit/shared/deployment"
	"github.com/aimsaudit/aimsaudit/shared/findings"
)

// checkDeploymentTable finds, in the demo's output, the findings table
// row of every finding the estate expects of each endpoint once the gate
// has run, and no row for anything else.
func checkDeploymentTable(t *testing.T, out string) {
	t.Helper()
	rows := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 5 && (strings.HasPrefix(f[2], "deployment.") ||
			f[2] == deployment.CheckSystemFound) {
			rows[f[0]+" "+f[2]+"["+f[1]+"]"] = f[3]
		}
	}
	want := map[string]string{}
	for _, ep := range estate.Endpoints() {
		for key, status := range ep.Expected(true) {
			want[ep.Name+" "+key] = string(status)
		}
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("deployment findings table (-want +got):\n%s\noutput:\n%s", diff, out)
	}
	for _, s := range []string{"deployment check: 4 endpoints",
		"model card credit-risk-v1 describes credit-risk/1, not",
		"could not read the endpoint's monitoring schedules: HTTP 500"} {
		if !strings.Contains(out, s) {
			t.Errorf("got output\n%s\nwant a line with %q", out, s)
		}
	}
}

func TestEndpointEventFor(t *testing.T) {
	template, err := os.ReadFile("../../events/" + endpointEvent)
	if err != nil {
		t.Fatal(err)
	}
	e := &estate.Estate{Account: "111122223333", Region: "eu-west-1"}
	ep := estate.Endpoints()[2]
	arn := "arn:aws:sagemaker:eu-west-1:111122223333:endpoint/" + ep.Name
	raw, err := endpointEventFor(template, e, ep, arn)
	if err != nil {
		t.Fatalf("build event: %v", err)
	}
	ev, err := deployment.DecodeEvent(raw)
	if err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	got := []string{ev.Account, ev.Region, strings.Join(ev.Resources, ","),
		ev.Detail.EndpointName, ev.Detail.EndpointArn, ev.Detail.EndpointConfigName,
		ev.Detail.EndpointStatus, ev.DetailType}
	want := []string{"111122223333", "eu-west-1", arn, ep.Name, arn, ep.Config,
		deployment.InService, deployment.DetailEndpointChange}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("event (-want +got):\n%s", diff)
	}
	if bytes.Contains(raw, []byte("credit-risk-prod")) {
		t.Errorf("got event %s, want no trace of credit-risk-prod", raw)
	}
}

func TestShortReason(t *testing.T) {
	tests := []struct {
		name, reason, want string
	}{
		{"sdk chain", "could not read the endpoint's monitoring schedules: list monitoring " +
			"schedules: operation error SageMaker: ListMonitoringSchedules, exceeded maximum " +
			"number of attempts, 3, https response error StatusCode: 500, RequestID: , " +
			"deserialization failed",
			"could not read the endpoint's monitoring schedules: HTTP 500"},
		{"package arns", "model card c describes arn:aws:sagemaker:us-east-1:123456789012:" +
			"model-package/credit-risk/1, not arn:aws:sagemaker:us-east-1:123456789012:" +
			"model-package/credit-risk/3",
			"model card c describes credit-risk/1, not credit-risk/3"},
		{"image", "serves image 123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1 with",
			"serves image x:1 with"},
		{"plain", "capture is not enabled", "capture is not enabled"},
	}
	for _, tt := range tests {
		if got := shortReason(tt.reason); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestWrap(t *testing.T) {
	got := wrap("aaa bbb ccc dddddddddd e", 7)
	want := []string{"aaa bbb", "ccc", "dddddddddd", "e"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("wrap (-want +got):\n%s", diff)
	}
	if got := wrap("", 7); len(got) != 1 || got[0] != "" {
		t.Errorf("wrap of nothing: got %q, want one empty line", got)
	}
}

// TestExpectEndpoints feeds the expectation what the estate says and then
// a missing and an extra finding.
func TestExpectEndpoints(t *testing.T) {
	rows := expectedRows()
	if err := expectEndpoints(rows); err != nil {
		t.Fatalf("expected rows: got %v, want no error", err)
	}
	rows[0].Shown = append(rows[0].Shown, shownFinding{Check: deployment.CheckEncryption,
		Qualifier: estate.Variant, Status: string(findings.Fail)})
	rows[3].Shown = nil
	err := expectEndpoints(rows)
	for _, want := range []string{
		"credit-risk-prod deployment.encryption[AllTraffic] is fail, want pass",
		`credit-risk-no-capture deployment.data-capture-enabled[AllTraffic] is "", want fail`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want an error saying %q", err, want)
		}
	}
}

// expectedRows builds the rows the estate expects, as the check would
// answer them.
func expectedRows() []endpointRow {
	var rows []endpointRow
	for _, ep := range estate.Endpoints() {
		r := endpointRow{Endpoint: ep.Name}
		for key, status := range ep.Expected(true) {
			check, q, _ := strings.Cut(strings.TrimSuffix(key, "]"), "[")
			r.Shown = append(r.Shown, shownFinding{Check: check, Qualifier: q,
				Status: string(status)})
		}
		rows = append(rows, r)
	}
	return rows
}

func TestReadEndpointResult(t *testing.T) {
	raw := []byte(`{"endpointArn": "arn:e", "alerts": 2, "findings": [
	  {"check": "register.system-found", "qualifier": "", "status": "pass"},
	  {"check": "deployment.encryption", "qualifier": "AllTraffic", "status": "not_applicable"},
	  {"check": "deployment.data-capture-enabled", "qualifier": "AllTraffic", "status": "fail",
	   "gap": "system", "reason": "capture is not enabled"}]}`)
	row, err := readEndpointResult("e", raw)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	want := []shownFinding{{deployment.CheckDataCapture, "AllTraffic", "fail", "system",
		"capture is not enabled"}}
	if diff := cmp.Diff(want, row.Shown); diff != "" || row.Alerts != 2 {
		t.Errorf("got alerts %d, shown (-want +got):\n%s", row.Alerts, diff)
	}
	if _, err := readEndpointResult("e", []byte(`{"findings": []}`)); err == nil {
		t.Errorf("empty result: got no error, want one saying the check audited nothing")
	}
}

func TestPrintFindings(t *testing.T) {
	var out bytes.Buffer
	printFindings(&out, []endpointRow{{Endpoint: "clean"}, {Endpoint: "e", Shown: []shownFinding{
		{deployment.CheckMonitoring, "AllTraffic", "indeterminate", "system",
			"could not: x: operation error S: L, https response error StatusCode: 500, R"}}}})
	if !strings.Contains(strings.Join(strings.Fields(out.String()), " "), "clean - - - - - e") {
		t.Errorf("got table\n%s\nwant a row of dashes for endpoint clean", out.String())
	}
	for _, want := range []string{"could not: HTTP 500", "moto answers"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("got table\n%s\nwant a line with %q", out.String(), want)
		}
	}
}
