// Package deployment is the deployment check: when a SageMaker endpoint
// comes into service or starts a deployment, it proves or disproves that
// what serves traffic is what was approved. It walks endpoint → endpoint
// configuration → model → model package → model card, judges each
// production and shadow variant against the register (approval, impact
// assessment, model card, data capture, monitoring, encryption, network
// isolation), keeps the evidence and tells the GRC team. It changes
// nothing it audits.
package deployment

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"

	"github.com/aimsaudit/aimsaudit/shared/awserr"
	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/register"
)

// FunctionName names the check in evidence keys and manifests.
const FunctionName = "deployment-check"

// Notifier tells the GRC team about new and changed findings.
type Notifier interface {
	Report(ctx context.Context, runID string, fs []findings.Finding) (int, error)
}

// Check holds the clients and settings of the deployment check. Build it
// once per process and call Handle per event.
type Check struct {
	SageMaker API
	Register  register.Store
	// Evidence opens the evidence store of an account, whose manifests form
	// one chain per function and account.
	Evidence func(account string) *evidence.Store
	Alerts   Notifier
	DryRun   bool
	Logger   *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Action is a change to an audited resource. The deployment check makes
// none; the field is there so every function returns the same shape.
type Action struct {
	Type     string `json:"type"`
	Resource string `json:"resource"`
	Reason   string `json:"reason"`
}

// Result is what the check returns for one event.
type Result struct {
	RunID          string             `json:"runId,omitempty"`
	Endpoint       string             `json:"endpointArn,omitempty"`
	EndpointConfig string             `json:"endpointConfig,omitempty"`
	Pending        bool               `json:"pendingDeployment"`
	Findings       []findings.Finding `json:"findings"`
	Actions        []Action           `json:"actions"`
	Manifest       string             `json:"manifest,omitempty"`
	Alerts         int                `json:"alerts"`
	DryRun         bool               `json:"dryRun"`
}

func emptyResult() *Result {
	return &Result{Findings: []findings.Finding{}, Actions: []Action{}}
}

// Handle audits the endpoint an event names. Events for other triggers,
// endpoints gone or not serving give an empty result; a malformed event
// is a bad-input error naming the field.
func (c *Check) Handle(ctx context.Context, raw []byte) (*Result, error) {
	ev, err := DecodeEvent(raw)
	if errors.Is(err, ErrNotForCheck) {
		c.log().InfoContext(ctx, "ignored event", "source", ev.Source, "detailType", ev.DetailType)
		return emptyResult(), nil
	}
	if err != nil {
		return nil, err
	}
	if !ev.IsDeployment() && ev.Detail.EndpointStatus != InService {
		c.log().InfoContext(ctx, "nothing to do", "endpoint", ev.Detail.EndpointName,
			"status", ev.Detail.EndpointStatus)
		return emptyResult(), nil
	}
	return c.audit(ctx, ev.Detail.EndpointName, ev.IsDeployment(), ev.Account)
}

// Audit judges the configuration an endpoint serves now, without an event,
// as a scheduled re-check does, with evidence and alerts as Handle.
func (c *Check) Audit(ctx context.Context, endpointName string) (*Result, error) {
	return c.audit(ctx, endpointName, false, "")
}

// Judge collects and judges the configuration an endpoint serves now into
// the caller's evidence run, under endpoints/<name>/, and returns the
// findings without committing the run or alerting: for a sweep that keeps
// one manifest per batch. An endpoint gone or not serving has no findings.
func (c *Check) Judge(ctx context.Context, run *evidence.Run, endpointName string) (
	[]findings.Finding, error) {
	ep, configName, pending, err := c.describe(ctx, endpointName, false)
	if err != nil || ep == nil || configName == "" {
		return nil, err
	}
	a := newAudit(c, run, c.now(), ep, configName, pending)
	a.prefix = "endpoints/" + safeName(endpointName) + "/"
	if err := a.collect(ctx); err != nil {
		return nil, err
	}
	return a.checks(), nil
}

func (c *Check) audit(ctx context.Context, name string, deployment bool, account string) (
	*Result, error) {
	ep, configName, pending, err := c.describe(ctx, name, deployment)
	switch {
	case err != nil:
		return nil, err
	case ep == nil:
		return emptyResult(), nil
	case configName == "":
		res := emptyResult()
		res.Endpoint = aws.ToString(ep.EndpointArn)
		return res, nil
	}
	return c.judge(ctx, account, ep, configName, pending)
}

// describe reads the endpoint and picks the configuration to audit; a
// missing endpoint is nil, one not serving has no configuration to audit.
func (c *Check) describe(ctx context.Context, name string, deployment bool) (
	*sagemaker.DescribeEndpointOutput, string, bool, error) {
	ep, err := c.SageMaker.DescribeEndpoint(ctx, &sagemaker.DescribeEndpointInput{
		EndpointName: aws.String(name)})
	if awserr.Classify(err) == awserr.NotFound {
		c.log().InfoContext(ctx, "endpoint gone", "endpoint", name)
		return nil, "", false, nil
	}
	if err != nil {
		return nil, "", false, fmt.Errorf("describe endpoint %s: %w", name, err)
	}
	configName, pending := auditedConfig(deployment, ep)
	if configName == "" {
		c.log().InfoContext(ctx, "nothing to do", "endpoint", name,
			"status", string(ep.EndpointStatus))
	}
	return ep, configName, pending, nil
}

// auditedConfig picks the configuration to audit: during a deployment the
// pending one, about to take traffic; otherwise the one in service, while
// the endpoint serves.
func auditedConfig(deployment bool, ep *sagemaker.DescribeEndpointOutput) (string, bool) {
	if p := ep.PendingDeploymentSummary; deployment && p != nil &&
		aws.ToString(p.EndpointConfigName) != "" {
		return aws.ToString(p.EndpointConfigName), true
	}
	switch string(ep.EndpointStatus) {
	case InService, Updating, SystemUpdating:
		return aws.ToString(ep.EndpointConfigName), false
	}
	return "", false
}

// judge collects, judges, keeps the evidence and alerts, in that order:
// evidence of what was seen is written before anyone is told.
func (c *Check) judge(ctx context.Context, account string, ep *sagemaker.DescribeEndpointOutput,
	configName string, pending bool) (*Result, error) {
	now := c.now()
	runID := evidence.NewRunID(now)
	arn := aws.ToString(ep.EndpointArn)
	run := c.Evidence(accountOf(arn, account)).NewRun(runID)
	a := newAudit(c, run, now, ep, configName, pending)
	if err := a.collect(ctx); err != nil {
		return nil, err
	}
	fs := a.checks()
	res := &Result{RunID: runID, Endpoint: arn, EndpointConfig: configName, Pending: pending,
		Findings: fs, Actions: []Action{}, DryRun: c.DryRun}
	if _, err := run.PutJSON(ctx, "findings.json", fs); err != nil {
		return nil, fmt.Errorf("keep findings: %w", err)
	}
	if _, err := run.PutJSON(ctx, "result.json", res); err != nil {
		return nil, fmt.Errorf("keep result: %w", err)
	}
	manifest, err := run.Commit(ctx, now)
	if err != nil {
		return nil, fmt.Errorf("commit evidence manifest: %w", err)
	}
	res.Manifest = manifest
	if res.Alerts, err = c.Alerts.Report(ctx, runID, fs); err != nil {
		return nil, fmt.Errorf("alert GRC: %w", err)
	}
	c.log().InfoContext(ctx, "audited endpoint", "endpointArn", arn, "endpointConfig", configName,
		"pending", pending, "alerting", countAlerting(fs), "alerts", res.Alerts, "runId", runID,
		"dryRun", c.DryRun)
	return res, nil
}

func countAlerting(fs []findings.Finding) int {
	n := 0
	for _, f := range fs {
		if f.Status.Alerting() {
			n++
		}
	}
	return n
}

func (c *Check) now() time.Time {
	if c.Now != nil {
		return c.Now().UTC()
	}
	return time.Now().UTC()
}

func (c *Check) log() *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return slog.New(slog.NewJSONHandler(io.Discard, nil))
}

// accountOf takes the account from an ARN, the authority on whose
// endpoint this is, and falls back to the event's account.
func accountOf(arn, fallback string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) == 6 && parts[4] != "" {
		return parts[4]
	}
	return fallback
}
