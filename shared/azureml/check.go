// Package azureml is the Azure ML side of the audits: the deployment check
// of managed online endpoints (what serves traffic is covered by an impact
// assessment, documented by a current model card, cleared by the gate,
// captured, and exposed only as the register allows) and the promotion gate
// of registered model versions, which Azure ML cannot reject, so the gate
// tags them aims:gate = rejected or cleared. Both read ARM through the
// armmachinelearning SDK, keep the evidence and tell the GRC team; the
// Event Grid webhook routes workspace events to them.
package azureml

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/register"
)

// FunctionName names the Azure audits in evidence keys and manifests, whose
// chains run per Azure subscription.
const FunctionName = "azure-events"

// Tag keys on Azure ML model versions, as CONTRACTS.md names them.
const (
	TagImpactAssessment = "aims:impact-assessment"
	TagEvaluationData   = "aims:evaluation-data"
	TagModelCard        = "aims:model-card"
	TagGate             = "aims:gate"
	TagGateReason       = "aims:gate-reason"
)

// Values of the aims:gate tag.
const (
	GateCleared  = "cleared"
	GateRejected = "rejected"
)

// Notifier tells the GRC team about new and changed findings.
type Notifier interface {
	Report(ctx context.Context, runID string, fs []findings.Finding) (int, error)
}

// Check holds the clients and settings of the Azure ML audits. Build it
// once per process.
type Check struct {
	// ARM returns the clients of a subscription.
	ARM      func(subscription string) (*Clients, error)
	Objects  ObjectReader
	Register register.Store
	// Evidence opens the evidence store of a subscription.
	Evidence func(subscription string) *evidence.Store
	Alerts   Notifier
	DryRun   bool
	Logger   *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Action is a change to an audited resource; under dry run there is none.
type Action struct {
	Type     string `json:"type"`
	Resource string `json:"resource"`
	Reason   string `json:"reason"`
}

// Result is what one audit returns: findings, actions, evidence, alerts.
type Result struct {
	RunID    string             `json:"runId,omitempty"`
	Resource string             `json:"resource,omitempty"`
	Findings []findings.Finding `json:"findings"`
	Actions  []Action           `json:"actions"`
	// Refused lists changes the audit decided on but was not allowed to
	// make; the findings stand and are reported all the same.
	Refused  []Action `json:"refusedActions,omitempty"`
	Manifest string   `json:"manifest,omitempty"`
	Alerts   int      `json:"alerts"`
	DryRun   bool     `json:"dryRun"`
	// Gate is the aims:gate value the gate judged, "" for other audits.
	Gate string `json:"gate,omitempty"`
}

func emptyResult(resource string) *Result {
	return &Result{Resource: resource, Findings: []findings.Finding{}, Actions: []Action{}}
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

// commit keeps the findings and result, writes the manifest and alerts, in
// that order: evidence of what was seen is written before anyone is told.
func (c *Check) commit(ctx context.Context, run *evidence.Run, at time.Time, res *Result) error {
	if _, err := run.PutJSON(ctx, "findings.json", res.Findings); err != nil {
		return wrap("keep findings", err)
	}
	if _, err := run.PutJSON(ctx, "result.json", res); err != nil {
		return wrap("keep result", err)
	}
	manifest, err := run.Commit(ctx, at)
	if err != nil {
		return wrap("commit evidence manifest", err)
	}
	res.Manifest = manifest
	if res.Alerts, err = c.Alerts.Report(ctx, res.RunID, res.Findings); err != nil {
		return wrap("alert GRC", err)
	}
	return nil
}

// keepTrigger keeps the event that started a run: the event is only a
// trigger, judged on what the API says, but an auditor can see what asked.
func keepTrigger(ctx context.Context, run *evidence.Run, trigger *Event) error {
	if trigger == nil {
		return nil
	}
	_, err := run.PutJSON(ctx, "trigger.json", trigger)
	return wrapIf("keep triggering event", err)
}

// wrap names the step an error happened in.
func wrap(step string, err error) error { return fmt.Errorf("%s: %w", step, err) }
