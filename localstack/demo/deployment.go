package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/aimsaudit/aimsaudit/localstack/estate"
	"github.com/aimsaudit/aimsaudit/shared/lambdarun"
	"github.com/aimsaudit/aimsaudit/shared/testcloud"
)

// What the deployment part of the demo builds and posts.
const (
	deploymentPkg = "./functions/deployment-check"
	endpointEvent = "endpoint-state-change-credit-risk-prod.json"
	reasonWidth   = 70
)

// endpointRow is what the deployment check said about one endpoint.
type endpointRow struct {
	Endpoint string
	Shown    []shownFinding // the findings that neither pass nor do not apply
	Alerts   int
	Result   []byte // the check's answer as it came
}

// shownFinding is one line of the findings table.
type shownFinding struct {
	Check, Qualifier, Status, Gap, Reason string
}

// key names the finding as the estate's expectations do.
func (f shownFinding) key() string { return f.Check + "[" + f.Qualifier + "]" }

// deploymentSection stands up the estate's endpoints, runs the deployment
// check's bootstrap under the runtime emulator, posts each endpoint's
// InService event to it and prints what does not pass. The gate has run
// by then, so the endpoint serving version 3 serves a rejected package:
// what serves traffic may have been deployed before the rejection.
func deploymentSection(ctx context.Context, out, logs io.Writer, root, rie string,
	moto *testcloud.Moto, e *estate.Estate) error {
	began := time.Now()
	fmt.Fprintln(out, "\nstanding up the estate's endpoints, building the deployment check ...")
	built := make(chan error, 1)
	bootstrap := filepath.Join(root, buildDir, "deployment-check")
	go func() {
		_, err := lambdarun.BuildFunction(ctx, filepath.Join(root, deploymentPkg), bootstrap)
		built <- err
	}()
	arns, err := estate.SeedEndpoints(ctx, moto.Config(), e)
	if buildErr := <-built; buildErr != nil {
		return buildErr
	}
	if err != nil {
		return fmt.Errorf("seed endpoints: %w", err)
	}
	template, err := os.ReadFile(filepath.Join(root, eventsDir, endpointEvent))
	if err != nil {
		return fmt.Errorf("read event: %w", err)
	}
	fn, err := lambdarun.Start(ctx, lambdarun.Config{
		RIE: rie, Bootstrap: filepath.Join(bootstrap, "bootstrap"), Name: "deployment-check",
		Env: functionEnv(e, moto.URL), Log: logs,
	})
	if err != nil {
		return fmt.Errorf("start the deployment check: %w", err)
	}
	defer fn.Stop()
	rows, err := checkEndpoints(ctx, fn, e, arns, template)
	if err != nil {
		return fmt.Errorf("%w\nlast of the function's log:\n%s", err, fn.Logs())
	}
	alerts, err := drainAlerts(ctx, estate.NewClients(moto.Config()).SQS, e.QueueURL)
	if err != nil {
		return err
	}
	printEndpointResults(logs, rows)
	fmt.Fprintf(out, "deployment check: %d endpoints in %s; alerts on %s: %s\n", len(rows),
		since(began), estate.AlertQueue, alertSummary(alerts))
	printFindings(out, rows)
	return expectEndpoints(rows)
}

// checkEndpoints posts each endpoint's event to the check, in the
// estate's order.
func checkEndpoints(ctx context.Context, fn invoker, e *estate.Estate, arns map[string]string,
	template []byte) ([]endpointRow, error) {
	var rows []endpointRow
	for _, ep := range estate.Endpoints() {
		event, err := endpointEventFor(template, e, ep, arns[ep.Name])
		if err != nil {
			return nil, err
		}
		raw, err := fn.Invoke(ctx, event)
		if err != nil {
			return nil, fmt.Errorf("%s: invoke the deployment check: %w", ep.Name, err)
		}
		row, err := readEndpointResult(ep.Name, raw)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// endpointEventFor points the sample InService event at one endpoint of
// the estate: its name, ARN and configuration, the estate's account and
// region. Everything else stays as SageMaker sends it.
func endpointEventFor(template []byte, e *estate.Estate, ep estate.Endpoint, arn string) (
	[]byte, error) {
	var ev map[string]any
	if err := json.Unmarshal(template, &ev); err != nil {
		return nil, fmt.Errorf("decode %s: %w", endpointEvent, err)
	}
	detail, ok := ev["detail"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: detail is not an object", endpointEvent)
	}
	ev["account"], ev["region"], ev["resources"] = e.Account, e.Region, []string{arn}
	detail["EndpointName"], detail["EndpointArn"] = ep.Name, arn
	detail["EndpointConfigName"] = ep.Config
	return json.Marshal(ev)
}

// readEndpointResult keeps the findings of the check's answer that
// neither pass nor do not apply, in the check's order.
func readEndpointResult(endpoint string, raw []byte) (endpointRow, error) {
	var res struct {
		Endpoint string `json:"endpointArn"`
		Findings []struct {
			Check, Qualifier, Status, Gap, Reason string
		} `json:"findings"`
		Alerts int `json:"alerts"`
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		return endpointRow{}, fmt.Errorf("%s: decode the check's result %.200s: %w", endpoint,
			raw, err)
	}
	if len(res.Findings) == 0 || res.Endpoint == "" {
		return endpointRow{}, fmt.Errorf("%s: the check audited nothing: %.200s", endpoint, raw)
	}
	row := endpointRow{Endpoint: endpoint, Alerts: res.Alerts, Result: raw}
	for _, f := range res.Findings {
		if f.Status == "pass" || f.Status == "not_applicable" {
			continue
		}
		row.Shown = append(row.Shown, shownFinding{f.Check, f.Qualifier, f.Status, f.Gap,
			f.Reason})
	}
	return row, nil
}

// printFindings writes one row per finding that does not pass, its reason
// wrapped over further lines, and a dash for an endpoint with none.
func printFindings(w io.Writer, rows []endpointRow) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nendpoint\tvariant\tcheck\tstatus\tgap\treason")
	unanswered := false
	for _, r := range rows {
		if len(r.Shown) == 0 {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\n", r.Endpoint)
		}
		for _, f := range r.Shown {
			variant := f.Qualifier
			if variant == "" {
				variant = "-"
			}
			lines := wrap(shortReason(f.Reason), reasonWidth)
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Endpoint, variant, f.Check,
				f.Status, f.Gap, lines[0])
			for _, l := range lines[1:] {
				fmt.Fprintf(tw, "\t\t\t\t\t%s\n", l)
			}
			unanswered = unanswered || strings.Contains(f.Reason, "StatusCode: 500")
		}
	}
	tw.Flush()
	if unanswered {
		fmt.Fprintln(w, "(HTTP 500: moto answers every monitoring schedule call so; against "+
			"it that check cannot be answered)")
	}
}

// arnPrefix is the partition, service, region and account of an ARN, and
// the registry host of an ECR image: the same on every line of the table.
var arnPrefix = regexp.MustCompile(`arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]*:` +
	`(model-package/)?|[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com/`)

// shortReason keeps a reason to a few lines of the table. An SDK error
// chain is cut to what the check was doing and the HTTP status the
// service answered, which is what tells an emulator's gap from a refusal;
// ARNs lose the prefix every resource of the estate shares.
func shortReason(reason string) string {
	if step, rest, ok := strings.Cut(reason, ": operation error "); ok {
		reason, _, _ = strings.Cut(step, ": ")
		if _, code, ok := strings.Cut(rest, "StatusCode: "); ok {
			code, _, _ = strings.Cut(code, ",")
			reason += ": HTTP " + code
		}
	}
	return arnPrefix.ReplaceAllString(reason, "")
}

// wrap breaks text into lines of at most width runes at spaces; a word
// longer than width gets a line of its own.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) > width:
			lines = append(lines, line)
			line = word
		default:
			line += " " + word
		}
	}
	return append(lines, line)
}

// printEndpointResults copies each of the check's answers to the verbose
// log.
func printEndpointResults(logs io.Writer, rows []endpointRow) {
	if logs == nil {
		return
	}
	for _, r := range rows {
		var pretty bytes.Buffer
		if json.Indent(&pretty, r.Result, "", "  ") != nil {
			pretty.Write(r.Result)
		}
		fmt.Fprintf(logs, "result for endpoint %s:\n%s\n", r.Endpoint, pretty.Bytes())
	}
}

// expectEndpoints fails the demo when an endpoint's findings are other
// than the estate says they should be once the gate has run.
func expectEndpoints(rows []endpointRow) error {
	got := map[string]map[string]string{}
	for _, r := range rows {
		got[r.Endpoint] = map[string]string{}
		for _, f := range r.Shown {
			got[r.Endpoint][f.key()] = f.Status
		}
	}
	var wrong []string
	for _, ep := range estate.Endpoints() {
		want := ep.Expected(true)
		for key, status := range want {
			if got[ep.Name][key] != string(status) {
				wrong = append(wrong, fmt.Sprintf("%s %s is %q, want %s", ep.Name, key,
					got[ep.Name][key], status))
			}
		}
		for key, status := range got[ep.Name] {
			if _, ok := want[key]; !ok {
				wrong = append(wrong, fmt.Sprintf("%s %s is %s, want pass", ep.Name, key,
					status))
			}
		}
	}
	if len(wrong) > 0 {
		sort.Strings(wrong)
		return fmt.Errorf("unexpected deployment findings: %s", strings.Join(wrong, "; "))
	}
	return nil
}
