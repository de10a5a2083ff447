package azureml

import (
	"context"

	"github.com/aimsaudit/aimsaudit/shared/evidence"
)

// keepWorkspace reads the workspace an audit runs in and keeps it as
// evidence, so an auditor sees which workspace (its location, its own
// network setting) the findings are about. It returns the evidence URI, ""
// when the workspace could not be read, and the read's result: a missing
// workspace means the resource audited is gone too. prefix starts the
// evidence name, "" for a run of its own.
func keepWorkspace(ctx context.Context, arm *Clients, run *evidence.Run, prefix string,
	ws Workspace) (string, readResult, error) {
	out, err := arm.Workspaces.Get(ctx, ws.ResourceGroup, ws.Name, nil)
	res, fatal := read(err)
	switch {
	case fatal != nil:
		return "", res, wrap("get workspace "+ws.ID(), fatal)
	case err != nil:
		return "", res, nil
	}
	uri, err := run.PutJSON(ctx, prefix+"workspace.json", out.Workspace)
	return uri, res, wrapIf("keep workspace", err)
}
