package azureml

import (
	"context"

	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/findings"
)

// AuditEndpoint judges every deployment of a managed online endpoint, as
// the ModelDeployed event asks, with evidence in the subscription's chain
// and alerts. An endpoint that no longer exists gives a result without
// findings.
func (c *Check) AuditEndpoint(ctx context.Context, ws Workspace, endpoint string) (*Result,
	error) {
	return c.auditEndpoint(ctx, ws, endpoint, nil)
}

// auditEndpoint is AuditEndpoint, keeping the event that asked for it as
// evidence when there is one.
func (c *Check) auditEndpoint(ctx context.Context, ws Workspace, endpoint string,
	trigger *Event) (*Result, error) {
	arm, err := c.ARM(ws.Subscription)
	if err != nil {
		return nil, err
	}
	now := c.now()
	res := emptyResult(ws.ID() + "/onlineEndpoints/" + endpoint)
	res.RunID, res.DryRun = evidence.NewRunID(now), c.DryRun
	run := c.Evidence(ws.Subscription).NewRun(res.RunID)
	if err := keepTrigger(ctx, run, trigger); err != nil {
		return nil, err
	}
	a := newEndpointAudit(c, run, now, ws, arm, endpoint)
	gone, err := a.collect(ctx)
	switch {
	case err != nil:
		return nil, err
	case gone:
		// What was read on the way is evidence too: the run is committed,
		// with no findings, so no object is left outside the chain.
		c.log().InfoContext(ctx, "endpoint gone", "endpoint", res.Resource)
		return res, c.commit(ctx, run, now, res)
	}
	res.Findings = a.checks()
	if err := c.commit(ctx, run, now, res); err != nil {
		return nil, err
	}
	c.log().InfoContext(ctx, "audited online endpoint", "endpoint", res.Resource,
		"deployments", len(a.deployments), "alerting", countAlerting(res), "alerts", res.Alerts,
		"runId", res.RunID, "dryRun", c.DryRun)
	return res, nil
}

// Judge collects and judges every deployment of a managed online endpoint
// into the caller's evidence run, under
// endpoints/<resourceGroup>/<workspace>/<endpoint>/, and returns the
// findings without committing the run or alerting: for a sweep that keeps
// one manifest per batch, as deployment.Check.Judge does for SageMaker. An
// endpoint (or workspace) that no longer exists has no findings; what was
// read on the way stays in the run.
func (c *Check) Judge(ctx context.Context, run *evidence.Run, ws Workspace, endpoint string) (
	[]findings.Finding, error) {
	arm, err := c.ARM(ws.Subscription)
	if err != nil {
		return nil, err
	}
	a := newEndpointAudit(c, run, c.now(), ws, arm, endpoint)
	a.prefix = "endpoints/" + safeName(ws.ResourceGroup) + "/" + safeName(ws.Name) + "/" +
		safeName(endpoint) + "/"
	gone, err := a.collect(ctx)
	if err != nil || gone {
		return nil, err
	}
	return a.checks(), nil
}

// AuditWorkspace judges every managed online endpoint of a workspace, one
// run each, as a scheduled re-check without an event does.
func (c *Check) AuditWorkspace(ctx context.Context, ws Workspace) ([]*Result, error) {
	arm, err := c.ARM(ws.Subscription)
	if err != nil {
		return nil, err
	}
	var names []string
	pages := arm.Endpoints.NewListPager(ws.ResourceGroup, ws.Name, nil)
	for pages.More() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, wrap("list online endpoints of "+ws.ID(), err)
		}
		for _, e := range page.Value {
			names = append(names, deref(e.Name))
		}
	}
	var out []*Result
	for _, name := range names {
		res, err := c.AuditEndpoint(ctx, ws, name)
		if err != nil {
			return out, err
		}
		out = append(out, res)
	}
	return out, nil
}

func countAlerting(res *Result) int {
	n := 0
	for _, f := range res.Findings {
		if f.Status.Alerting() {
			n++
		}
	}
	return n
}
