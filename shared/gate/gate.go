// Package gate is the promotion gate: when a model package reaches Approved
// or PendingManualApproval in the SageMaker model registry, it checks that a
// current, approved impact assessment covers the version and that the
// model's evaluation stays inside its system's declared envelope, rejects
// the package when it does not, keeps the evidence and tells the GRC team.
package gate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/modelregistry"
	"github.com/aimsaudit/aimsaudit/shared/register"
)

// FunctionName names the gate in evidence keys and manifests.
const FunctionName = "promotion-gate"

// ObjectGetter reads evaluation data and Clarify reports from S3.
type ObjectGetter interface {
	GetObject(ctx context.Context, in *s3.GetObjectInput,
		opts ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// Notifier tells the GRC team about new and changed findings and announces
// packages the gate clears.
type Notifier interface {
	Report(ctx context.Context, runID string, fs []findings.Finding) (int, error)
	Cleared(ctx context.Context, modelPackageArn, system, runID string, findingIDs []string) error
}

// Gate holds the clients and settings of the promotion gate. Build it once
// per process and call Handle per event.
type Gate struct {
	Registry modelregistry.API
	Objects  ObjectGetter
	Register register.Store
	// Evidence opens the evidence store of an account, whose manifests form
	// one chain per function and account.
	Evidence func(account string) *evidence.Store
	Alerts   Notifier
	DryRun   bool
	Logger   *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Action is a change the gate made to an audited resource.
type Action struct {
	Type     string `json:"type"`
	Resource string `json:"resource"`
	Reason   string `json:"reason"`
}

// Result is what the gate returns for one event.
type Result struct {
	RunID    string             `json:"runId,omitempty"`
	Package  string             `json:"modelPackageArn,omitempty"`
	Before   string             `json:"approvalBefore,omitempty"`
	After    string             `json:"approvalAfter,omitempty"`
	Findings []findings.Finding `json:"findings"`
	Actions  []Action           `json:"actions"`
	Manifest string             `json:"manifest,omitempty"`
	Alerts   int                `json:"alerts"`
	DryRun   bool               `json:"dryRun"`
}

func (g *Gate) emptyResult() *Result {
	return &Result{Findings: []findings.Finding{}, Actions: []Action{}, DryRun: g.DryRun}
}

// Handle judges the package an event names. Events for other triggers and
// packages in a status the gate does not act on give an empty result; a
// malformed event is a bad-input error naming the field.
func (g *Gate) Handle(ctx context.Context, raw []byte) (*Result, error) {
	ev, err := DecodeEvent(raw)
	if errors.Is(err, ErrNotForGate) {
		g.log().InfoContext(ctx, "ignored event", "source", ev.Source, "detailType", ev.DetailType)
		return g.emptyResult(), nil
	}
	if err != nil {
		return nil, err
	}
	pkg, err := modelregistry.Describe(ctx, g.Registry, ev.Detail.ModelPackageArn)
	if err != nil {
		return nil, err
	}
	if pkg.Status != modelregistry.Approved && pkg.Status != modelregistry.PendingManualApproval {
		g.log().InfoContext(ctx, "nothing to do", "modelPackageArn", pkg.ARN, "approval", pkg.Status)
		res := g.emptyResult()
		res.Package, res.Before, res.After = pkg.ARN, pkg.Status, pkg.Status
		return res, nil
	}
	return g.judge(ctx, ev, pkg)
}

// judge runs the checks on a package the gate acts on, then keeps evidence,
// acts and alerts, in that order: evidence of what was seen is written before
// anything changes, and alerts go out only once the change is made.
func (g *Gate) judge(ctx context.Context, ev *Event, pkg *modelregistry.Package) (*Result, error) {
	now := g.now()
	runID := evidence.NewRunID(now)
	run := g.Evidence(accountOf(pkg.ARN, ev.Account)).NewRun(runID)
	a := &audit{gate: g, run: run, pkg: pkg, at: now}
	if err := a.collect(ctx); err != nil {
		return nil, err
	}
	fs := a.checks(ctx)
	if err := a.err; err != nil {
		return nil, err
	}
	res := &Result{RunID: runID, Package: pkg.ARN, Before: pkg.Status, After: pkg.Status,
		Findings: fs, Actions: []Action{}, DryRun: g.DryRun}
	if _, err := run.PutJSON(ctx, "findings.json", fs); err != nil {
		return nil, fmt.Errorf("keep findings: %w", err)
	}
	if err := g.act(ctx, pkg, res); err != nil {
		return nil, err
	}
	if _, err := run.PutJSON(ctx, "result.json", res); err != nil {
		return nil, fmt.Errorf("keep result: %w", err)
	}
	manifest, err := run.Commit(ctx, now)
	if err != nil {
		return nil, fmt.Errorf("commit evidence manifest: %w", err)
	}
	res.Manifest = manifest
	if err := g.alert(ctx, a, res); err != nil {
		return nil, err
	}
	g.log().InfoContext(ctx, "judged model package", "modelPackageArn", pkg.ARN,
		"approvalBefore", res.Before, "approvalAfter", res.After, "blocking", len(blocking(fs)),
		"alerts", res.Alerts, "runId", runID, "dryRun", g.DryRun)
	return res, nil
}

// act rejects an Approved package that any check fails or cannot decide.
// Under dry run it changes nothing.
func (g *Gate) act(ctx context.Context, pkg *modelregistry.Package, res *Result) error {
	failing := blocking(res.Findings)
	if pkg.Status != modelregistry.Approved || len(failing) == 0 || g.DryRun {
		return nil
	}
	reason := modelregistry.RejectionDescription(failing)
	if err := modelregistry.SetApproval(
		ctx, g.Registry, pkg, modelregistry.Rejected, reason,
	); err != nil {
		return err
	}
	res.After = modelregistry.Rejected
	res.Actions = append(res.Actions, Action{
		Type: "reject-model-package", Resource: pkg.ARN, Reason: reason})
	return nil
}

// alert reports findings to the GRC team and, for a pending package with no
// blocking finding, announces it cleared so pipelines can deploy it.
func (g *Gate) alert(ctx context.Context, a *audit, res *Result) error {
	sent, err := g.Alerts.Report(ctx, res.RunID, res.Findings)
	if err != nil {
		return fmt.Errorf("alert GRC: %w", err)
	}
	res.Alerts = sent
	if a.pkg.Status != modelregistry.PendingManualApproval || len(blocking(res.Findings)) > 0 {
		return nil
	}
	ids := make([]string, len(res.Findings))
	for i, f := range res.Findings {
		ids[i] = f.ID
	}
	if err := g.Alerts.Cleared(ctx, a.pkg.ARN, a.systemID(), res.RunID, ids); err != nil {
		return fmt.Errorf("announce cleared package: %w", err)
	}
	return nil
}

// blocking lists the failing or indeterminate checks with their qualifiers,
// as a rejection reason names them.
func blocking(fs []findings.Finding) []string {
	var out []string
	for _, f := range fs {
		if !f.Status.Blocking() {
			continue
		}
		name := f.Check
		if f.Qualifier != "" {
			name += "[" + f.Qualifier + "]"
		}
		out = append(out, name)
	}
	return out
}

func (g *Gate) now() time.Time {
	if g.Now != nil {
		return g.Now().UTC()
	}
	return time.Now().UTC()
}

func (g *Gate) log() *slog.Logger {
	if g.Logger != nil {
		return g.Logger
	}
	return slog.New(slog.NewJSONHandler(io.Discard, nil))
}

// accountOf takes the account from an ARN, the authority on whose package
// this is, and falls back to the event's account.
func accountOf(arn, fallback string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) == 6 && parts[4] != "" {
		return parts[4]
	}
	return fallback
}
