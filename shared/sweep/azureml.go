package sweep

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	ml "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/machinelearning/armmachinelearning/v4"
	"golang.org/x/sync/errgroup"

	"github.com/aimsaudit/aimsaudit/shared/azureml"
	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/register"
)

// MLEndpointLister is the part of the Azure ML online endpoints client
// that lists a workspace's endpoints.
type MLEndpointLister interface {
	NewListPager(resourceGroup, workspace string, o *ml.OnlineEndpointsClientListOptions,
	) *runtime.Pager[ml.OnlineEndpointsClientListResponse]
}

// MLJudge re-checks one managed online endpoint into the caller's evidence
// run, as the Azure ML deployment check does on ModelDeployed; the sweep
// commits and alerts once per batch. *azureml.Check has it.
type MLJudge interface {
	Judge(ctx context.Context, run *evidence.Run, ws azureml.Workspace, endpoint string) (
		[]findings.Finding, error)
}

// AzureML is how the sweep polls the Azure ML online endpoints of the
// register's workspaces: managed online deployments may not announce
// themselves with ModelDeployed, so the nightly sweep looks for itself.
type AzureML struct {
	// Endpoints returns the online endpoints client of a subscription.
	Endpoints func(subscription string) (MLEndpointLister, error)
	Judge     MLJudge
}

// AzureMLOf polls with check, listing workspaces through its own clients.
func AzureMLOf(check *azureml.Check) *AzureML {
	return &AzureML{Judge: check, Endpoints: func(sub string) (MLEndpointLister, error) {
		c, err := check.ARM(sub)
		if err != nil {
			return nil, err
		}
		return c.Endpoints, nil
	}}
}

// MLWork is a list of online endpoints of one Azure ML workspace to
// re-check.
type MLWork struct {
	Workspace azureml.Workspace `json:"workspace"`
	Endpoints []string          `json:"endpoints"`
}

func (w *MLWork) validate(bad badFunc) error {
	ws := w.Workspace
	switch {
	case ws.Subscription == "":
		return bad("azureml.workspace.subscriptionId", "missing")
	case ws.ResourceGroup == "":
		return bad("azureml.workspace.resourceGroup", "missing")
	case ws.Name == "":
		return bad("azureml.workspace.workspace", "missing")
	}
	for i, name := range w.Endpoints {
		if name == "" {
			return bad(fmt.Sprintf("azureml.endpoints[%d]", i), "missing")
		}
	}
	return nil
}

// registerWorkspaces gathers the workspaces the register's azureml blocks
// name, each with the endpoints the register lists there, sorted. A block
// without subscription or resource group cannot be reached and is left
// out, logged.
func (s *Sweep) registerWorkspaces(ctx context.Context, reg *register.Register) []MLWork {
	byKey := map[string]*MLWork{}
	for _, sys := range reg.Systems {
		a := sys.AzureML
		if a == nil || a.Workspace == "" {
			continue
		}
		if a.SubscriptionID == "" || a.ResourceGroup == "" {
			s.log().WarnContext(ctx, "azureml workspace not polled: no subscriptionId or "+
				"resourceGroup", "system", sys.ID, "workspace", a.Workspace)
			continue
		}
		ws := azureml.Workspace{Subscription: a.SubscriptionID, ResourceGroup: a.ResourceGroup,
			Name: a.Workspace}
		key := strings.ToLower(ws.ID())
		if byKey[key] == nil {
			byKey[key] = &MLWork{Workspace: ws}
		}
		byKey[key].Endpoints = append(byKey[key].Endpoints, a.Endpoints...)
	}
	out := make([]MLWork, 0, len(byKey))
	for _, w := range byKey {
		out = append(out, *w)
	}
	sort.Slice(out, func(i, j int) bool {
		return strings.ToLower(out[i].Workspace.ID()) < strings.ToLower(out[j].Workspace.ID())
	})
	return out
}

// planAzureML lists every online endpoint of each register workspace,
// adds the register's endpoints the listing lacks (the re-check finds them
// or reports them gone), and batches them. A workspace that cannot be
// listed still has its register endpoints re-checked, where a denied read
// is indeterminate.
func (s *Sweep) planAzureML(ctx context.Context, p *plan, reg *register.Register) error {
	if s.AzureML == nil {
		return nil
	}
	for _, w := range s.registerWorkspaces(ctx, reg) {
		listed, err := s.listMLEndpoints(ctx, p, w.Workspace)
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			s.log().WarnContext(ctx, "azureml endpoints not listed", "workspace",
				w.Workspace.ID(), "error", err.Error())
		}
		names := mergeNames(listed, w.Endpoints)
		p.planned.AzureMLEndpoints += len(names)
		for start := 0; start < len(names); start += endpointBatchSize {
			end := min(start+endpointBatchSize, len(names))
			p.batches = append(p.batches, Batch{AzureML: &MLWork{Workspace: w.Workspace,
				Endpoints: names[start:end]}})
		}
	}
	return nil
}

func (s *Sweep) listMLEndpoints(ctx context.Context, p *plan, ws azureml.Workspace) (
	[]string, error) {
	client, err := s.AzureML.Endpoints(ws.Subscription)
	if err != nil {
		return nil, fmt.Errorf("connect to subscription %s: %w", ws.Subscription, err)
	}
	var names []string
	pages := client.NewListPager(ws.ResourceGroup, ws.Name, nil)
	for pages.More() {
		page, err := pages.NextPage(ctx)
		p.calls.Azure++
		if err != nil {
			return names, fmt.Errorf("list online endpoints of %s: %w", ws.ID(), err)
		}
		for _, e := range page.Value {
			if e != nil && e.Name != nil {
				names = append(names, *e.Name)
			}
		}
	}
	return names, nil
}

// mergeNames is listed plus the register's names it lacks, compared
// without case as Azure does, sorted.
func mergeNames(listed, registered []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range append(append([]string(nil), listed...), registered...) {
		if n != "" && !seen[strings.ToLower(n)] {
			seen[strings.ToLower(n)] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// azureMLBatch re-checks each online endpoint of the batch, a bounded
// number at a time, into the batch's run, and puts the findings in res.
func (s *Sweep) azureMLBatch(ctx context.Context, w *MLWork, run *evidence.Run,
	res *Result) error {
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(min(s.concurrency(), 4))
	for _, name := range w.Endpoints {
		g.Go(func() error {
			fs, err := s.AzureML.Judge.Judge(gctx, run, w.Workspace, name)
			if err != nil {
				return fmt.Errorf("re-check online endpoint %s of %s: %w", name,
					w.Workspace.ID(), err)
			}
			mu.Lock()
			defer mu.Unlock()
			res.Findings = append(res.Findings, fs...)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	res.Counts.AzureMLEndpoints = len(w.Endpoints)
	return nil
}
