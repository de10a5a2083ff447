package azureml

import (
	"context"
	"fmt"
	"strings"
	"time"

	ml "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/machinelearning/armmachinelearning/v4"

	"github.com/aimsaudit/aimsaudit/shared/awserr"
	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/register"
)

// tagLimit is the longest tag value the gate writes; Azure ML keeps
// longer ones, but a reason is for people, and the findings hold the rest.
const tagLimit = 256

// gateAudit is one judgement of one registered model version.
type gateAudit struct {
	check *Check
	run   *evidence.Run
	at    time.Time
	ws    Workspace
	model *modelView
	// workspaceURI is the evidence of the workspace, "" when unreadable.
	workspaceURI string
	reg          *register.Register
	systems      []*register.System
	system       *register.System
	docURIs      map[string]string
	err          error // the first failure of the machinery; the run is retried
}

// GateModelVersion is the promotion gate of an Azure ML model version, as
// the ModelRegistered event asks: it judges the impact assessment and the
// evaluation against the envelope, tags the version aims:gate = rejected or
// cleared (not under dry run), keeps the evidence and alerts. A version
// that no longer exists gives a result without findings.
func (c *Check) GateModelVersion(ctx context.Context, ws Workspace, model, version string) (
	*Result, error) {
	return c.gateModelVersion(ctx, ws, model, version, nil)
}

// gateModelVersion is GateModelVersion, keeping the event that asked for it
// as evidence when there is one.
func (c *Check) gateModelVersion(ctx context.Context, ws Workspace, model, version string,
	trigger *Event) (*Result, error) {
	ref := ModelRef{Workspace: ws, Name: model, Version: version}
	now := c.now()
	res := emptyResult(ref.ID())
	res.RunID, res.DryRun = evidence.NewRunID(now), c.DryRun
	run := c.Evidence(ws.Subscription).NewRun(res.RunID)
	if err := keepTrigger(ctx, run, trigger); err != nil {
		return nil, err
	}
	m, wsURI, err := c.readVersion(ctx, run, ref)
	switch {
	case err != nil:
		return nil, err
	case m == nil || m.read.missing:
		// The run is committed, with no findings, so what was read on the
		// way stays in the chain.
		c.log().InfoContext(ctx, "model version gone", "model", ref.ID())
		return res, c.commit(ctx, run, now, res)
	}
	a := &gateAudit{check: c, run: run, at: now, ws: ws, model: m, workspaceURI: wsURI,
		docURIs: map[string]string{}}
	if res.Findings, err = a.judge(ctx); err != nil {
		return nil, err
	}
	res.Gate = gateValue(res.Findings)
	if err := c.tag(ctx, m, res); err != nil {
		return nil, err
	}
	if err := c.commit(ctx, run, now, res); err != nil {
		return nil, err
	}
	c.log().InfoContext(ctx, "gated model version", "model", ref.ID(), "gate", res.Gate,
		"alerting", countAlerting(res), "alerts", res.Alerts, "runId", res.RunID,
		"dryRun", c.DryRun)
	return res, nil
}

// readVersion keeps the workspace and reads the version; nil when the
// workspace is gone.
func (c *Check) readVersion(ctx context.Context, run *evidence.Run, ref ModelRef) (
	*modelView, string, error) {
	arm, err := c.ARM(ref.Subscription)
	if err != nil {
		return nil, "", err
	}
	uri, res, err := keepWorkspace(ctx, arm, run, "", ref.Workspace)
	if err != nil || res.missing {
		return nil, "", err
	}
	m, err := readModel(ctx, c, run, "", ref, ref.Subscription)
	return m, uri, err
}

// judge collects the register and runs the checks; a version that could
// not be read leaves every check unknown.
func (a *gateAudit) judge(ctx context.Context) ([]findings.Finding, error) {
	if a.model.read.unknown != "" {
		return a.unreadable(), nil
	}
	reg, err := register.Load(ctx, a.check.Register)
	if err != nil {
		return nil, err
	}
	a.reg = reg
	a.systems = systemsForModel(reg, a.ws, a.model.ref.Name)
	if len(a.systems) == 1 {
		a.system = a.systems[0]
	}
	fs := []findings.Finding{a.systemFound(ctx)}
	fs = append(fs, a.assessmentChecks(ctx)...)
	if a.system != nil {
		fs = append(fs, a.evaluationChecks(ctx)...)
	}
	return fs, a.err
}

func (a *gateAudit) unreadable() []findings.Finding {
	reason := "model version " + a.model.ref.ID() + ": " + a.model.read.unknown
	var out []findings.Finding
	for _, check := range []string{checkAssessmentPresent, checkDataPresent} {
		out = append(out, a.finding(check, "", unknown(nil, nil, reason)))
	}
	return out
}

func (a *gateAudit) finding(check, qualifier string, v verdict) findings.Finding {
	return v.toFinding(check, a.model.ref.ID(), qualifier, a.systemID(), a.at, a.model.uri)
}

func (a *gateAudit) systemID() string {
	if a.system == nil {
		return ""
	}
	return a.system.ID
}

func (a *gateAudit) keep(ctx context.Context, doc any) string {
	uri, err := keepDocument(ctx, a.run, "", a.reg, a.docURIs, doc)
	if err != nil && a.err == nil {
		a.err = err
	}
	return uri
}

func (a *gateAudit) systemFound(ctx context.Context) findings.Finding {
	ids := make([]string, len(a.systems))
	docs := make([]string, len(a.systems))
	for i, s := range a.systems {
		ids[i], docs[i] = s.ID, a.keep(ctx, s)
	}
	observed := map[string]any{"workspace": a.ws, "model": a.model.ref.Name, "systems": ids}
	expected := map[string]any{"systems": 1}
	switch len(a.systems) {
	case 1:
		return a.finding(CheckSystemFound, "", pass(observed, expected,
			append(docs, a.workspaceURI)...))
	case 0:
		return a.finding(CheckSystemFound, "", fail(observed, expected, fmt.Sprintf(
			"no system of the register lists model %q of workspace %s", a.model.ref.Name,
			a.ws.Name)))
	}
	return a.finding(CheckSystemFound, "", fail(observed, expected, fmt.Sprintf(
		"%d systems list model %q; exactly one must", len(ids), a.model.ref.Name), docs...))
}

// gateValue is rejected when any finding blocks, cleared otherwise.
func gateValue(fs []findings.Finding) string {
	if len(blocking(fs)) > 0 {
		return GateRejected
	}
	return GateCleared
}

// blocking names the failing or unknown checks with their qualifiers.
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

// tag writes the gate's verdict onto the version, keeping its other tags
// and properties, unless under dry run or when the version already says
// so. A version the gate could not read is left as it is.
func (c *Check) tag(ctx context.Context, m *modelView, res *Result) error {
	reason := gateReason(res)
	if c.DryRun || m.out == nil || (m.tags[TagGate] == res.Gate &&
		m.tags[TagGateReason] == reason) {
		return nil
	}
	body := withTags(*m.out, map[string]string{TagGate: res.Gate, TagGateReason: reason})
	arm, err := c.ARM(m.ref.Subscription)
	if err != nil {
		return err
	}
	_, err = arm.Models.CreateOrUpdate(ctx, m.ref.ResourceGroup, m.ref.Workspace.Name,
		m.ref.Name, m.ref.Version, body, nil)
	act := Action{Type: "tag-model-version", Resource: m.ref.ID(),
		Reason: TagGate + "=" + res.Gate + ": " + orNone(reason)}
	switch {
	case kindOf(err) == awserr.AccessDenied:
		// Retrying would not help; the GRC team still hears of the findings.
		act.Reason += " (refused: " + errorCode(err) + ")"
		res.Refused = append(res.Refused, act)
		c.log().WarnContext(ctx, "tag refused", "model", m.ref.ID(), "error", errorCode(err))
	case err != nil:
		return wrap("tag model version "+m.ref.ID(), err)
	default:
		res.Actions = append(res.Actions, act)
	}
	return nil
}

// gateReason names the blocking checks, short enough for a tag.
func gateReason(res *Result) string {
	reason := strings.Join(blocking(res.Findings), ", ")
	if len(reason) > tagLimit {
		reason = reason[:tagLimit-3] + "..."
	}
	return reason
}

// withTags is the version as it was read, for a PUT that changes only the
// named tags; an empty value removes the tag.
func withTags(mv ml.ModelVersion, set map[string]string) ml.ModelVersion {
	props := ml.ModelVersionProperties{}
	if mv.Properties != nil {
		props = *mv.Properties
	}
	tags := map[string]*string{}
	for k, v := range props.Tags {
		tags[k] = v
	}
	for k, v := range set {
		if v == "" {
			delete(tags, k)
			continue
		}
		tags[k] = &v
	}
	props.Tags = tags
	// Read-only fields are not sent back.
	props.ProvisioningState = nil
	return ml.ModelVersion{Properties: &props}
}

func orNone(s string) string {
	if s == "" {
		return "no blocking finding"
	}
	return s
}
